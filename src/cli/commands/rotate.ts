import { rotateInputSchema } from '../../shared/connections'
import { getProvider } from '../../shared/providers'
import { parseInput } from '../../shared/validation'
import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable, writeJson } from '../framework/output'
import { fieldAssignments, readDataFile, referenceAssignments, textValues } from '../field-values'

const rotate: CommandSpec = {
  usage: '<conn> [--field key=@file|@-... | --from-file <file>] [--ref field=reference...]',
  description: [
    "Writes new values for a connection's secret fields as a new secret version, as the app's Rotate",
    'dialog does: the values are checked by the provider catalog first (a value that fails writes',
    'nothing), the untouched secrets are carried over, and the previous versions are kept for',
    'operations that started before the rotation. Prints the new version number.',
    'Secret values are never taken on the command line: give each as key=@- (stdin, one field) or',
    'key=@path, or put several in a JSON or YAML file for --from-file:',
    '  { "access_key_id": "AKIA...", "secret_access_key": "..." }',
    'A field may become a reference instead, read at each use and never stored, with --ref',
    'field=env:NAME, file:/path, command:program args... (as bridgekeep add and edit take it).',
    'Settings that are not secret are changed with bridgekeep edit.',
  ].join('\n'),
  options: {
    field: {
      type: 'string',
      valueName: 'key=@file|@-',
      multiple: true,
      description: 'a new secret value, read from a file or stdin',
    },
    'from-file': {
      type: 'string',
      valueName: 'file',
      description: 'a JSON or YAML file mapping secret field keys to their new values',
    },
    ref: {
      type: 'string',
      valueName: 'field=reference',
      multiple: true,
      description: 'make a secret field a reference: env:NAME, file:/path, command:program args',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'aws iam create-access-key --user-name ci --output json \\',
    "  | jq '.AccessKey | {access_key_id: .AccessKeyId, secret_access_key: .SecretAccessKey}' > key.json",
    'bridgekeep rotate prod-aws --from-file key.json && shred -u key.json',
    'printf %s "$NEW_TOKEN" | bridgekeep rotate ci-github --field token=@-',
    'bridgekeep rotate ci-github --ref token=env:GITHUB_TOKEN',
  ],
  async run(context, { values, positionals }) {
    const { io } = context
    const fromFile = stringOption(values, 'from-file')
    const assignments = stringsOption(values, 'field')
    const references = referenceAssignments(stringsOption(values, 'ref'), 'rotate')
    const referenced = Object.keys(references)
    if (fromFile !== undefined && assignments.length > 0)
      throw new UsageError('give the new values with --field or --from-file, not both.', 'rotate')
    if (fromFile === undefined && assignments.length === 0 && referenced.length === 0)
      throw new UsageError(
        'give the new secret values: --field key=@file (or key=@-), --from-file <file>, or --ref field=reference.',
        'rotate',
      )
    const services = await context.services()
    const before = services.connections.findByRef(positionals[0]!)
    const provider = getProvider(before.provider)!
    const secrets =
      fromFile === undefined
        ? await fieldAssignments(io, assignments, provider, {
            option: '--field',
            command: 'rotate',
          })
        : textValues(
            readDataFile(
              io,
              fromFile,
              'a file of secret values',
              'Check its syntax; see bridgekeep rotate --help for the shape.',
            ),
            fromFile,
          )
    // A field given both a value and a reference is the service's to refuse, like add's.
    const after = services.connections.rotate(
      parseInput(rotateInputSchema, {
        id: before.id,
        secrets,
        ...(referenced.length === 0 ? {} : { references }),
      }),
    )
    const fields = [...Object.keys(secrets), ...referenced.map((key) => `${key} (a reference)`)]
    if (context.json)
      return writeJson(io.stdout, {
        id: after.id,
        name: after.name,
        slug: after.slug,
        secretVersion: after.secretVersion,
        previousVersion: before.secretVersion,
        fields,
      })
    io.stdout.write(
      after.secretVersion === before.secretVersion
        ? `${printable(after.name)} already holds these values: still secret version ${after.secretVersion}.\n`
        : `Rotated ${printable(after.name)} (${fields.join(', ')}): secret version ${after.secretVersion}. Operations already running keep version ${before.secretVersion}.\n`,
    )
  },
}

export default rotate
