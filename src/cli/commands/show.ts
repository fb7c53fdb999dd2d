import { authModeLabels, getProvider, type AuthMode } from '../../shared/providers'
import type { CommandSpec } from '../framework/command'
import { keyValues, list, printable, table, when, writeJson } from '../framework/output'
import { connectionArgument } from '../connection-argument'
import { fromVault } from '../from-vault'

const show: CommandSpec = {
  usage: '<conn> [options]',
  description:
    '<conn> is a connection slug or name, or connection://<env>/<conn> (the environment must exist). Secrets are shown masked (at most their last 4 characters, for long key IDs and tokens); reveal them in the app, where that is audited. A secret field that is a reference shows where it points (env:NAME, file:/path, command:...).',
  options: {},
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep show prod-aws', 'bridgekeep show "Prod AWS" --json'],
  async run(context, { values, positionals }) {
    connectionArgument(positionals[0]!, undefined, 'show')
    const shown = await fromVault(context, values, { op: 'show', ref: positionals[0]! })
    const { detail, environments: authorizedEnvironments, usage } = shown
    const spec = getProvider(detail.provider)
    if (context.json) {
      return writeJson(context.io.stdout, {
        ...detail,
        lastUsedAt: usage.lastUsedAt,
        environments: authorizedEnvironments,
        usage,
      })
    }
    const label = (key: string) => spec?.fields.find((field) => field.key === key)?.label ?? key
    const out = context.io.stdout
    out.write(
      keyValues([
        ['Name', detail.name],
        ['Slug', detail.slug],
        ['Provider', spec ? `${spec.label} (${spec.id})` : detail.provider],
        [
          'Authentication',
          `${authModeLabels[detail.authMode as AuthMode]?.label ?? detail.authMode} (${detail.authMode})`,
        ],
        ['Labels', list(detail.labels)],
        ['Secret version', String(detail.secretVersion)],
        ['Created', when(detail.createdAt)],
        ['Updated', when(detail.updatedAt)],
        ['Last used', when(usage.lastUsedAt)],
        ['Environments', list(authorizedEnvironments.map((env) => env.name))],
      ]),
    )
    // A value derived from a secret (GCP's project from the key) is shown with where it is from.
    const config: [string, string][] = [
      ...Object.entries(detail.config),
      ...Object.entries(detail.derived ?? {}).map(([key, value]): [string, string] => [
        key,
        `${value} (from the key)`,
      ]),
    ]
    if (config.length > 0) {
      out.write('\nSettings:\n')
      out.write(
        keyValues(
          config.map(([key, value]) => [label(key), value] as const),
          '  ',
        ),
      )
    }
    if (detail.secrets.length > 0) {
      out.write('\nSecrets (masked):\n')
      out.write(
        keyValues(
          detail.secrets.map(
            (secret) =>
              [
                label(secret.field),
                secret.damaged
                  ? 'DAMAGED'
                  : secret.reference !== undefined
                    ? `reference ${printable(secret.reference)} (read at each use)`
                    : (secret.masked ?? ''),
              ] as const,
          ),
          '  ',
        ),
      )
    }
    if (detail.integrityError) out.write(`\n${printable(detail.integrityError)}\n`)
    // Notes may span lines (the app allows line breaks and tabs in them, nothing else): those
    // stay, any other control character an older vault holds is shown escaped.
    if (detail.notes)
      out.write(
        `\nNotes:\n  ${printable(detail.notes, { multiline: true }).replace(/\n/g, '\n  ')}\n`,
      )
    out.write(`\nUsage: ${usage.total} use${usage.total === 1 ? '' : 's'}\n`)
    if (usage.entries.length > 0) {
      out.write(
        table(usage.entries, [
          { header: '  ENVIRONMENT', value: (e) => `  ${e.environmentName ?? '(deleted)'}` },
          { header: 'OPERATION', value: (e) => e.operation },
          { header: 'COUNT', value: (e) => String(e.count), align: 'right' },
          { header: 'LAST USED', value: (e) => when(e.lastUsedAt) },
        ]),
      )
    }
  },
}

export default show
