import { stringify } from 'yaml'
import { providers, type FieldSpec, type ProviderSpec } from '../src/shared/providers'
import {
  at,
  edited,
  fields,
  github,
  metadata,
  postgres,
  spec,
  variantTable,
  CANARY,
  type Doc,
} from './apply-documents'

/**
 * Malformed values and input: references of each kind, every provider's fields, several
 * documents, YAML syntax and bounds, secrets on stdin, and what only the vault can refuse.
 */
export function valueVariants() {
  const { variants, add } = variantTable()
  // -- valueFrom: each kind of reference, wrong ---------------------------------------------------------
  const REFS: [string, unknown, string][] = [
    ['text form', 'env:PROD_DB_PASSWORD', 'A reference must be an object with one source.'],
    ['empty', {}, 'A reference has exactly one source'],
    [
      'two sources',
      { env: { name: 'A' }, file: { path: '/a' } },
      'A reference has exactly one source',
    ],
    ['unknown source', { vault: { path: 'a' } }, 'valueFrom'],
    ['list', [{ env: { name: 'A' } }], 'A reference must be an object with one source.'],
    ['env without name', { env: {} }, 'spec.fields.password.valueFrom.env.name: '],
    [
      'env name with dash',
      { env: { name: 'PROD-DB' } },
      'Environment variable: letters, digits and "_"',
    ],
    [
      'env name starting with a digit',
      { env: { name: '1PASS' } },
      'Environment variable: letters, digits',
    ],
    ['env name empty', { env: { name: '' } }, 'Environment variable: must not be empty.'],
    ['env name number', { env: { name: 5 } }, 'Environment variable: must be text.'],
    ['env extra key', { env: { name: 'A', default: 'x' } }, 'spec.fields.password.valueFrom.env'],
    ['file relative', { file: { path: 'secrets/db' } }, 'File: give an absolute path'],
    ['file empty', { file: { path: '' } }, 'File: must not be empty.'],
    [
      'file with newline',
      { file: { path: '/a\nb' } },
      'valueFrom.file.path: File cannot contain control characters (found U+000A at position 3).',
    ],
    ['file without path', { file: {} }, 'spec.fields.password.valueFrom.file.path: '],
    ['command empty', { command: { argv: [] } }, 'Command: give at least the program to run.'],
    [
      'command as text',
      { command: { argv: 'pass show db' } },
      'Command: give the program and its arguments as a list.',
    ],
    [
      'command with a number',
      { command: { argv: ['pass', 5] } },
      'spec.fields.password.valueFrom.command.argv[1]: Command argument: must be text.',
    ],
    [
      'command too long',
      { command: { argv: Array.from({ length: 65 }, () => 'a') } },
      'Command: at most 64 arguments.',
    ],
    [
      'secretKeyRef without key',
      { secretKeyRef: { connection: 'kube', name: 'db' } },
      'spec.fields.password.valueFrom.secretKeyRef.key: ',
    ],
    [
      'secretKeyRef bad name',
      { secretKeyRef: { connection: 'kube', name: 'DB_Secret', key: 'password' } },
      'Secret: lowercase letters, digits',
    ],
    [
      'secretKeyRef bad namespace',
      { secretKeyRef: { connection: 'kube', namespace: 'Prod_NS', name: 'db', key: 'p' } },
      'Namespace: lowercase letters, digits and "-".',
    ],
    [
      'secretKeyRef bad key',
      { secretKeyRef: { connection: 'kube', name: 'db', key: 'pass word' } },
      'Key: letters, digits',
    ],
    [
      'secretKeyRef without connection',
      { secretKeyRef: { name: 'db', key: 'p' } },
      'secretKeyRef.connection: ',
    ],
    [
      'configMapKeyRef bad name',
      { configMapKeyRef: { connection: 'kube', name: '-cm', key: 'k' } },
      'ConfigMap: lowercase letters',
    ],
    [
      'configMapKeyRef extra key',
      { configMapKeyRef: { connection: 'kube', name: 'cm', key: 'k', optional: true } },
      'configMapKeyRef',
    ],
    [
      'helmRef bad path',
      { helmRef: { connection: 'kube', release: 'db', key: 'auth..password' } },
      'Values path: keys joined by dots',
    ],
    [
      'helmRef bad release',
      { helmRef: { connection: 'kube', release: 'DB', key: 'auth.password' } },
      'Release: lowercase letters',
    ],
    [
      'helmRef without release',
      { helmRef: { connection: 'kube', key: 'auth.password' } },
      'helmRef.release: ',
    ],
  ]
  for (const [name, valueFrom, message] of REFS)
    add(
      `valueFrom: ${name}`,
      edited((d) => (fields(d).password = { valueFrom })),
      'doc 1 (prod-db): spec.fields.password.valueFrom',
      message,
    )

  // -- every provider: a secret written in the file, a reference on a setting, an unknown field -----------
  const firstOf = (provider: ProviderSpec, secret: boolean): FieldSpec | undefined =>
    provider.fields.find(
      (field) =>
        field.secret === secret &&
        (!field.authModes || field.authModes.includes(provider.defaultAuthMode)) &&
        !field.showWhen,
    )
  const providerDoc = (provider: ProviderSpec, entries: Doc): string =>
    stringify({
      apiVersion: 'bridgekeep.dev/v1',
      kind: 'Connection',
      metadata: { name: `conn-${provider.id}` },
      spec: { type: provider.id, fields: entries },
    })
  for (const provider of providers) {
    const where = `doc 1 (conn-${provider.id}): spec.fields`
    const secret = firstOf(provider, true)
    if (secret)
      add(
        `${provider.id}: ${secret.key} written in the file`,
        providerDoc(provider, { [secret.key]: { value: CANARY } }),
        `${where}.${secret.key}.value: ${secret.label} is secret, and secrets in files get checked into git: use valueFrom, or --secrets-from-stdin.`,
      )
    const setting = firstOf(provider, false)
    if (setting)
      add(
        `${provider.id}: ${setting.key} from a reference`,
        providerDoc(provider, { [setting.key]: { valueFrom: { env: { name: 'X' } } } }),
        `${where}.${setting.key}.valueFrom: ${setting.label} is not secret: give its value with { value: ... }.`,
      )
    add(
      `${provider.id}: unknown field`,
      providerDoc(provider, { colour: { value: 'blue' } }),
      `${where}.colour: unknown field "colour" for ${provider.label}; its fields: `,
    )
  }

  // -- several documents, several problems ---------------------------------------------------------------
  add(
    'duplicate names',
    `${stringify(postgres())}---\n${stringify(postgres())}`,
    'doc 2 (prod-db): metadata.name: doc 1 has this name too',
  )
  add(
    'problems in two documents, all listed',
    edited((d) => {
      d.kind = 'Secret'
      fields(d).port = { value: 'x' }
      spec(d).bogus = 1
    }).replace('type: github', 'type: gitlabz'),
    '3 problems',
    `${at('kind')}must be Connection`,
    `${at('spec.bogus')}unknown key "bogus"`,
    'doc 2 (ci-gh): spec.type: not a provider Bridgekeep knows',
  )
  add(
    'a shape problem and a value problem, in two documents, listed together',
    `${stringify({ ...postgres(), kind: 'Secret' })}---\n${stringify({ ...github(), spec: { ...spec(github()), fields: { ...fields(github()), api_url: { value: 'ftp://x' } } } })}`,
    '2 problems',
    `${at('kind')}must be Connection`,
    'doc 2 (ci-gh): spec.fields.api_url.value: API base URL:',
  )
  add(
    'a good document and a bad one: nothing is applied',
    edited((d) => (spec(d).type = 'nope'), 1),
    'doc 2 (ci-gh): spec.type',
    'nothing was applied',
  )
  add(
    'a list with a scalar in it',
    stringify([postgres(), 'github']),
    'doc 2: (the document): a document is a mapping with apiVersion, kind, metadata and spec (separate several documents with --- lines).',
  )
  add(
    'a list with a bad document in it',
    JSON.stringify([postgres(), { ...github(), kind: 'List' }]),
    'doc 2 (ci-gh): kind: must be Connection',
    '(line 1)',
  )
  add(
    'too many documents in a list',
    JSON.stringify(Array.from({ length: 201 }, () => github())),
    'holds more than 200 documents.',
  )
  add(
    'a list of lists',
    stringify([[postgres()]]),
    'doc 1: (the document): a document is a mapping',
  )
  add('a scalar document', 'just some text\n', 'doc 1: (the document): a document is a mapping')
  add(
    'the second document a number',
    `${stringify(postgres())}---\n42\n`,
    'doc 2: (the document): a document is a mapping',
  )
  add('no document', '# only a comment\n', 'holds no connection document.')
  add('only separators', '---\n---\n', 'holds no connection document.')
  add('empty file', '', 'holds no connection document.')
  add(
    'line numbers',
    edited((d) => (fields(d).port = { value: 'abc' })),
    'spec.fields.port.value: Port: ',
    '(line 21)',
  )

  // -- syntax and bounds -----------------------------------------------------------------------------
  const yamlError = (name: string, text: string, reason: string) =>
    add(name, text, 'is not valid YAML', reason, 'Nothing was applied.')
  yamlError(
    'unclosed quote',
    `apiVersion: "bridgekeep.dev/v1\nkind: Connection\n`,
    'a quote or bracket is not closed',
  )
  yamlError(
    'tabs for indentation',
    `apiVersion: bridgekeep.dev/v1\nmetadata:\n\tname: prod-db\n`,
    'tabs are not allowed for indentation',
  )
  yamlError('bad indentation', `metadata:\n  name: a\n    x: ${CANARY}\n`, '')
  yamlError(
    'duplicate key',
    `kind: Connection\nkind: Connection\n`,
    'a key appears twice in one section',
  )
  yamlError('an alias', `a: &x { b: 1 }\nc: *x\n`, 'anchors (&name) are not allowed here')
  yamlError('an alias alone', `c: *x\n`, '')
  yamlError(
    'an anchor alone',
    `metadata: &m { name: prod-db }\n`,
    'anchors (&name) are not allowed here',
  )
  yamlError(
    'billion laughs',
    [
      'a: &a ["lol","lol"]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n'),
    'not allowed here',
  )
  yamlError(
    'a custom tag',
    `spec:\n  fields:\n    password: !secret ${CANARY}\n`,
    'tags (!name) are not allowed here',
  )
  yamlError('a core tag', `kind: !!str Connection\n`, 'tags (!name) are not allowed here')
  yamlError('a binary tag', `x: !!binary aGVsbG8=\n`, 'tags (!name) are not allowed here')
  yamlError(
    'flow nested too deeply',
    `x: ${'['.repeat(100)}${']'.repeat(100)}\n`,
    'it is nested too deeply',
  )
  yamlError(
    'indented too deeply',
    `${Array.from({ length: 140 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n`,
    'it is nested too deeply',
  )
  yamlError('JSON cut off', '{"apiVersion": "bridgekeep.dev/v1", "kind": ', '')
  yamlError('unclosed flow mapping', `spec: { type: postgres\n`, '')
  yamlError(
    'too many documents',
    Array.from({ length: 201 }, () => stringify(github())).join('---\n'),
    'it holds more than 200 documents',
  )
  add(
    'nested deeper than a document',
    edited((d) => (fields(d).host = { value: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } })),
    'nests deeper than a connection document does',
  )

  // -- stdin secrets -------------------------------------------------------------------------------------
  const withSecrets = (name: string, secrets: string, ...expected: string[]) =>
    variants.push({ name, text: edited(() => {}), secrets, expected })
  withSecrets('stdin: a list', '- a\n', '--secrets-from-stdin: must map document names')
  withSecrets(
    'stdin: unknown document',
    `other: { password: "${CANARY}" }`,
    '--secrets-from-stdin: other: no document named other in this apply',
  )
  withSecrets(
    'stdin: unknown field',
    `prod-db: { passwd: "${CANARY}" }`,
    '--secrets-from-stdin: prod-db.passwd: not a field of PostgreSQL.',
  )
  withSecrets(
    'stdin: not secret',
    `prod-db: { host: "${CANARY}" }`,
    '--secrets-from-stdin: prod-db.host: Host is not secret',
  )
  withSecrets(
    'stdin: a number',
    'ci-gh: { token: 12345678 }',
    '--secrets-from-stdin: ci-gh.token: Personal access token: must be text (quote a number or true/false).',
  )
  variants.push({
    name: 'stdin: a secret the auth mode does not use',
    text: `apiVersion: bridgekeep.dev/v1\nkind: Connection\nmetadata: { name: runner-aws }\nspec: { type: aws, authMode: runner-delegated }\n`,
    secrets: `runner-aws: { secret_access_key: "${CANARY}" }`,
    expected: [
      '--secrets-from-stdin: runner-aws.secret_access_key: Secret access key does not apply here: it is used only with authMode',
    ],
  })
  withSecrets(
    'stdin: a field list',
    `prod-db: [${CANARY}]`,
    '--secrets-from-stdin: prod-db: must map field keys to values',
  )
  withSecrets(
    'stdin: both a reference and a value',
    `prod-db: { password: "${CANARY}" }`,
    'doc 1 (prod-db): spec.fields.password.valueFrom: Password is both a reference and given on stdin',
  )
  withSecrets(
    'stdin: a token that is not one',
    `ci-gh: { token: "has spaces ${CANARY}" }`,
    '--secrets-from-stdin: ci-gh.token: Personal access token:',
  )
  withSecrets('stdin: not YAML', `prod-db: { password: "${CANARY}`, 'stdin is not valid YAML')
  withSecrets(
    'stdin: a tag',
    `prod-db: { password: !x ${CANARY} }`,
    'tags (!name) are not allowed here',
  )

  // -- what only the vault can say ------------------------------------------------------------------------
  add(
    'unknown environment',
    edited((d) => (spec(d).environments = ['development', 'qa'])),
    `${at('spec.environments[1]')}no environment "qa" in this vault`,
  )
  add(
    'two unknown environments',
    edited((d) => (spec(d).environments = ['qa', 'uat'])),
    `${at('spec.environments[0]')}no environment "qa"`,
    `${at('spec.environments[1]')}no environment "uat"`,
  )
  add(
    'stored: true with nothing stored',
    edited((d) => (fields(d).password = { stored: true })),
    `${at('spec.fields.password.stored')}the vault holds no value of Password for prod-db to keep`,
  )
  add(
    'type change of an existing connection',
    edited((d) => (metadata(d).name = 'live-gh')),
    'doc 1 (live-gh): spec.type: live-gh is a github connection',
  )
  add(
    'a slug in the trash',
    edited((d) => (metadata(d).name = 'old-gh'), 1),
    'doc 2 (old-gh): metadata.name: a connection in the trash has the slug old-gh: restore it',
  )

  return variants
}
