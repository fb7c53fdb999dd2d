import { resolve } from 'node:path'
import { auditExportFormats, type AuditExportFormat } from '../../shared/audit'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { whileClaimed } from '../framework/files'

const auditExport: CommandSpec = {
  usage: '--format jsonl|csv [--output <file>] [options]',
  description:
    'Writes the whole trail, oldest entry first, to stdout or a file (created 0600, never over an existing file unless --force, and complete or not at all: an interrupted export leaves no partial file). The trail holds names, ids and counts, never a secret value.',
  options: {
    format: { type: 'string', valueName: 'jsonl|csv', description: 'JSON Lines or CSV (RFC 4180)' },
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'write to this file instead of stdout',
    },
    force: {
      type: 'boolean',
      description:
        'replace an existing --output file (atomically; a symlink is replaced, not followed)',
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
    if (flag(values, 'force') && output === undefined)
      throw new UsageError('--force replaces an --output file: give one.', 'audit export')
    const services = await context.services()
    const path = output === undefined ? undefined : resolve(context.io.cwd, output)
    const { result: exported, claimed } = await whileClaimed(
      path,
      'Nothing was exported.',
      () =>
        context.progress(
          'Exporting the audit trail…',
          () => services.audit.export({ format: format as AuditExportFormat }),
          { delayMs: 0 },
        ),
      { replace: flag(values, 'force') },
    )
    if (!claimed) {
      context.io.stdout.write(exported.content)
      return
    }
    await claimed.write(exported.content)
    context.io.stderr.write(`Exported ${exported.count} entries to ${path}.\n`)
  },
}

export default auditExport
