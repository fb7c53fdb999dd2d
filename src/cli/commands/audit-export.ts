import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { auditExportFormats, type AuditExportFormat } from '../../shared/audit'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'

const auditExport: CommandSpec = {
  usage: '--format jsonl|csv [--output <file>] [options]',
  description:
    'Writes the whole trail, oldest entry first, to stdout or a file (created 0600). The trail holds names, ids and counts, never a secret value.',
  options: {
    format: { type: 'string', valueName: 'jsonl|csv', description: 'JSON Lines or CSV (RFC 4180)' },
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'write to this file instead of stdout',
    },
  },
  positionals: { min: 0, max: 0 },
  vault: true,
  examples: ['bridgekeep audit export --format csv --output audit.csv'],
  async run(context, { values }) {
    const format = stringOption(values, 'format')
    if (!format || !(auditExportFormats as readonly string[]).includes(format))
      throw new UsageError('--format must be jsonl or csv.', 'audit export')
    const output = stringOption(values, 'output')
    const services = await context.services()
    const exported = await context.progress(
      'Exporting the audit trail…',
      () => services.audit.export({ format: format as AuditExportFormat }),
      { delayMs: 0 },
    )
    if (output === undefined) {
      context.io.stdout.write(exported.content)
      return
    }
    const path = resolve(context.io.cwd, output)
    writeFileSync(path, exported.content, { mode: 0o600 })
    context.io.stderr.write(`Exported ${exported.count} entries to ${path}.\n`)
  },
}

export default auditExport
