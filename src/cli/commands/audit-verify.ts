import { BridgekeepError } from '../../shared/errors'
import type { CommandSpec } from '../framework/command'
import { writeJson } from '../framework/output'

const auditVerify: CommandSpec = {
  usage: '[options]',
  description:
    'Walks the hash chain from the first entry. Exits 0 when every entry verifies, 1 when the trail was altered, naming the first broken entry.',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  async run(context) {
    const services = await context.services()
    const result = await context.progress(
      'Verifying the audit trail…',
      () => services.audit.verify(),
      {
        delayMs: 0,
      },
    )
    if (context.json) {
      writeJson(context.io.stdout, result)
      return result.ok ? 0 : 1
    }
    if (!result.ok) {
      throw new BridgekeepError(
        'VAULT_INTEGRITY',
        result.message,
        'Keep a copy of the vault folder as evidence; entries after the break were still checked.',
      )
    }
    context.io.stdout.write(`${result.message}\n`)
  },
}

export default auditVerify
