import { BridgekeepError } from '../../shared/errors'
import type { CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'

const auditVerify: CommandSpec = {
  usage: '[options]',
  description:
    "Walks the hash chain from the first entry and checks each entry's MAC and the sealed head. Exits 0 when every entry verifies, 1 when the trail was altered (naming the first broken entry), truncated (naming how many entries are missing at the end) or rewritten (a chain rebuilt without the vault key), or its seal is missing or forged.",
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
        'Keep a copy of the vault folder as evidence; every remaining entry was still checked.',
      )
    }
    context.io.stdout.write(`${printable(result.message)}\n`)
  },
}

export default auditVerify
