import { connectionUpdateSchema, type ConnectionDetail } from '../../shared/connections'
import { BridgekeepError } from '../../shared/errors'
import { getProvider } from '../../shared/providers'
import { parseInput } from '../../shared/validation'
import { listNames } from '../../shared/wording'
import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable, writeJson } from '../framework/output'
import {
  fieldAssignments,
  flagAssignments,
  givenFields,
  referenceAssignments,
  refuseInapplicable,
} from '../field-values'

const edit: CommandSpec = {
  usage:
    '<conn> [--name <name>] [--set key=value...] [--ref field=reference...] [--label <l>...] [--unlabel <l>...] [--notes <text>] [--short-lived-only on|off]',
  description: [
    "Changes what is not secret about a connection, as the app's Edit form does: its name, labels,",
    "notes and settings (the provider catalog's keys; a value may come from a file with key=@path,",
    'e.g. a CA certificate). The whole connection is checked again before anything is written.',
    'Secret values are changed only with bridgekeep rotate, which keeps the previous version.',
    '--ref makes a secret field a reference, read at each use and never stored (env:NAME,',
    'file:/path, command:program args); that writes a new secret version too. A field keeps its',
    'reference until it is given a value (bridgekeep rotate).',
    '--short-lived-only on makes exec and credential_process hand tools a session or access token',
    'issued from the stored secret (AWS keys, GCP keys, Azure client secrets), never the secret.',
  ].join('\n'),
  options: {
    name: { type: 'string', valueName: 'name', description: 'a new name (the slug stays)' },
    set: {
      type: 'string',
      valueName: 'key=value',
      multiple: true,
      description: 'a new value for a setting (key=@path reads it from a file)',
    },
    runner: {
      type: 'string',
      valueName: 'name',
      description: 'the runner its operations go to (the same as --set runner=<name>)',
    },
    'session-duration': {
      type: 'string',
      valueName: 'duration',
      description:
        'AWS: how long the sessions tools get last, e.g. 15m, 4h (the same as --set session_duration=<duration>)',
    },
    'mfa-serial': {
      type: 'string',
      valueName: 'device',
      description: "AWS: the MFA device's ARN or serial (the same as --set mfa_serial=<device>)",
    },
    ref: {
      type: 'string',
      valueName: 'field=reference',
      multiple: true,
      description: 'make a secret field a reference: env:NAME, file:/path, command:program args',
    },
    label: { type: 'string', valueName: 'label', multiple: true, description: 'add a label' },
    unlabel: { type: 'string', valueName: 'label', multiple: true, description: 'remove a label' },
    notes: { type: 'string', valueName: 'text', description: 'replace the notes ("" clears them)' },
    'short-lived-only': {
      type: 'string',
      valueName: 'on|off',
      description: 'hand tools short-lived credentials only (on), or what is stored (off)',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep edit prod-aws --set default_region=eu-central-1 --label platform',
    'bridgekeep edit ci-github --name "CI GitHub" --unlabel old --notes "Owned by the CI team"',
    'bridgekeep edit eu-deploy --runner build-eu',
    'bridgekeep edit deploy-role --session-duration 4h',
    'bridgekeep edit ci-github --ref token=command:pass show ci/github-token',
  ],
  async run(context, { values, positionals }) {
    const { io } = context
    const name = stringOption(values, 'name')
    const notes = stringOption(values, 'notes')
    const sets = [...stringsOption(values, 'set'), ...flagAssignments(values)]
    const references = referenceAssignments(stringsOption(values, 'ref'), 'edit')
    const referenced = Object.keys(references)
    const added = stringsOption(values, 'label')
    const removed = stringsOption(values, 'unlabel')
    const shortLivedOnly = onOff(stringOption(values, 'short-lived-only'))
    if (
      name === undefined &&
      notes === undefined &&
      shortLivedOnly === undefined &&
      [...sets, ...referenced, ...added, ...removed].length === 0
    )
      throw new UsageError(
        'nothing to change: give --name, --set, --ref, --runner, --session-duration, --mfa-serial, --label, --unlabel, --notes or --short-lived-only.',
        'edit',
      )
    const services = await context.services()
    const before = services.connections.get(services.connections.findByRef(positionals[0]!).id)
    const provider = getProvider(before.provider)!
    const secretKeys = sets
      .map((assignment) => assignment.slice(0, Math.max(0, assignment.indexOf('='))).trim())
      .filter((key) => provider.fields.some((field) => field.key === key && field.secret))
    if (secretKeys.length > 0)
      throw new BridgekeepError(
        'VALIDATION',
        `${listNames(secretKeys, 10)} ${secretKeys.length === 1 ? 'is a secret field' : 'are secret fields'} of ${provider.label}: secrets are changed by rotating them, which keeps the previous version for operations in flight. Nothing was changed.`,
        `Use bridgekeep rotate ${before.slug} ${secretKeys.map((key) => `--field ${key}=@<file>`).join(' ')}`,
      )
    const settings = await fieldAssignments(io, sets, provider, {
      option: '--set',
      command: 'edit',
    })
    const given = [
      ...givenFields(values, settings, '--set'),
      ...referenced.map((key) => ({ key, option: `--ref ${key}` })),
    ]
    refuseInapplicable(provider, before.authMode, given, {
      command: 'edit',
      remedy: (modes) =>
        `or add a ${modes.join(' or ')} connection for it (bridgekeep add ${provider.id} --auth-mode ${modes[0]} ...)`,
    })
    const lower = (label: string) => label.toLowerCase()
    const missing = removed.filter((label) => !before.labels.map(lower).includes(lower(label)))
    if (missing.length > 0)
      throw new BridgekeepError(
        'VALIDATION',
        `${printable(before.name)} has no label ${listNames(missing, 10)}. Nothing was changed.`,
        `Its labels: ${before.labels.length > 0 ? listNames(before.labels, 20) : 'none'}.`,
      )
    const labels =
      added.length + removed.length > 0
        ? [...before.labels, ...added].filter((label) => !removed.map(lower).includes(lower(label)))
        : undefined
    const after = services.connections.update(
      parseInput(connectionUpdateSchema, {
        id: before.id,
        ...(name === undefined ? {} : { name }),
        ...(sets.length > 0 ? { values: settings } : {}),
        ...(referenced.length > 0 ? { references } : {}),
        ...(labels ? { labels } : {}),
        ...(notes === undefined ? {} : { notes }),
        ...(shortLivedOnly === undefined ? {} : { shortLivedOnly }),
      }),
    )
    if (context.json) return writeJson(io.stdout, after)
    const changed = [
      name !== undefined && name !== before.name ? 'name' : undefined,
      ...Object.keys(settings).filter((key) => after.config[key] !== before.config[key]),
      ...referenced
        .filter((key) => referenceOf(after, key) !== referenceOf(before, key))
        .map((key) => `${key} (a reference)`),
      labels && labels.join('\n') !== before.labels.join('\n') ? 'labels' : undefined,
      notes !== undefined && notes !== before.notes ? 'notes' : undefined,
      shortLivedOnly !== undefined && shortLivedOnly !== (before.shortLivedOnly === true)
        ? `short-lived credentials only ${shortLivedOnly ? 'on' : 'off'}`
        : undefined,
    ].filter((what): what is string => what !== undefined)
    io.stdout.write(
      changed.length > 0
        ? `Updated ${printable(after.name)} (${after.slug}): ${changed.join(', ')}.\n`
        : `${printable(after.name)} already had these values: nothing changed.\n`,
    )
  },
}

function referenceOf(detail: ConnectionDetail, field: string): string | undefined {
  return detail.secrets.find((secret) => secret.field === field)?.reference
}

function onOff(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  const wanted = value.trim().toLowerCase()
  if (wanted === 'on' || wanted === 'off') return wanted === 'on'
  throw new UsageError(`--short-lived-only takes on or off, not "${printable(value)}".`, 'edit')
}

export default edit
