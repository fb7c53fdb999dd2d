import { purgeDate, TRASH_RETENTION_DAYS } from '../../shared/connections'
import type { CommandSpec } from '../framework/command'
import { table, when, writeJson } from '../framework/output'

const trashLs: CommandSpec = {
  usage: '[options]',
  description: `Lists the connections in the trash, most recently trashed first, with the day each is deleted for good (${TRASH_RETENTION_DAYS} days after it was trashed).`,
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep trash ls', 'bridgekeep trash ls --json'],
  async run(context) {
    const services = await context.services()
    const rows = services.connections.list({ trash: true }).map((row) => {
      const deletedAt = row.deletedAt ?? row.updatedAt
      return { ...row, deletedAt, purgeAt: purgeDate(deletedAt).toISOString() }
    })
    if (context.json) return writeJson(context.io.stdout, rows)
    if (rows.length === 0) {
      context.io.stderr.write('The trash is empty.\n')
      return
    }
    context.io.stdout.write(
      table(rows, [
        { header: 'NAME', value: (row) => row.name },
        { header: 'SLUG', value: (row) => row.slug },
        { header: 'PROVIDER', value: (row) => row.provider },
        { header: 'TRASHED', value: (row) => when(row.deletedAt) },
        { header: 'PURGED ON', value: (row) => when(row.purgeAt) },
      ]),
    )
  },
}

export default trashLs
