import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { providers, type FieldSpec, type ProviderSpec } from '../shared/providers'
import { cliVault, inProcessCli, privateKeyring, vaultFingerprint } from '../../test/cli'
import { connectionInput } from '../../test/services'

// `bridgekeep apply -f` with ≥ 200 malformed inputs: each is refused with a message naming the
// document and the place in it, and the vault stays byte-for-byte as it was.

const CANARY = `CANARY${randomBytes(12).toString('hex')}`
const dir = mkdtempSync(join(tmpdir(), 'bk-apply-bad-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Doc = Record<string, unknown>
const postgres = (): Doc => ({
  apiVersion: 'bridgekeep.dev/v1',
  kind: 'Connection',
  metadata: { name: 'prod-db', labels: { team: 'payments' } },
  spec: {
    type: 'postgres',
    fields: {
      host: { value: 'db.internal' },
      database: { value: 'app' },
      user: { value: 'app' },
      password: { valueFrom: { env: { name: 'PROD_DB_PASSWORD' } } },
    },
    environments: ['development'],
  },
})
const github = (): Doc => ({
  apiVersion: 'bridgekeep.dev/v1',
  kind: 'Connection',
  metadata: { name: 'ci-gh' },
  spec: { type: 'github', fields: { token: { valueFrom: { file: { path: '~/.gh-token' } } } } },
})

/** The two documents as one stream, the first (or `which`) changed by `change`. */
function edited(change: (doc: Doc) => void, which: 0 | 1 = 0): string {
  const docs = [postgres(), github()]
  change(docs[which]!)
  return docs.map((doc) => stringify(doc)).join('---\n')
}
const spec = (doc: Doc) => doc.spec as Doc
const fields = (doc: Doc) => spec(doc).fields as Doc
const metadata = (doc: Doc) => doc.metadata as Doc

interface Variant {
  name: string
  text: string
  /** Every one must appear in stderr. */
  expected: string[]
  /** Given on stdin with --secrets-from-stdin. */
  secrets?: string
  code?: number
}
const variants: Variant[] = []
const add = (name: string, text: string, ...expected: string[]) =>
  variants.push({ name, text, expected })
const at = (where: string) => `doc 1 (prod-db): ${where}: `

// -- apiVersion and kind ---------------------------------------------------------------------
for (const value of [
  'v1',
  'bridgekeep.dev/v2',
  'bridgekeep.dev/v1beta1',
  'apps/v1',
  1,
  true,
  ['bridgekeep.dev/v1'],
  { v: 1 },
  '',
])
  add(
    `apiVersion ${JSON.stringify(value)}`,
    edited((d) => (d.apiVersion = value)),
    `${at('apiVersion')}must be bridgekeep.dev/v1`,
  )
add(
  'apiVersion missing',
  edited((d) => delete d.apiVersion),
  `${at('apiVersion')}required: bridgekeep.dev/v1.`,
)
for (const value of [
  'Secret',
  'connection',
  'Connections',
  'ConfigMap',
  0,
  null,
  ['Connection'],
  '',
])
  add(
    `kind ${JSON.stringify(value)}`,
    edited((d) => (d.kind = value)),
    value === null ? `${at('kind')}required` : `${at('kind')}must be Connection`,
  )
add(
  'kind missing',
  edited((d) => delete d.kind),
  `${at('kind')}required: Connection.`,
)

// -- metadata -----------------------------------------------------------------------------------
add(
  'metadata missing',
  edited((d) => delete d.metadata),
  'doc 1: metadata: required',
)
for (const value of ['prod-db', 3, ['name']])
  add(
    `metadata ${JSON.stringify(value)}`,
    edited((d) => (d.metadata = value)),
    'doc 1: metadata: must be a mapping',
  )
add(
  'metadata.name missing',
  edited((d) => delete metadata(d).name),
  "doc 1: metadata.name: required: the connection's slug",
)
const BAD_SLUGS = [
  'Prod-DB',
  'prod_db',
  '-prod',
  'prod-',
  'prod--db',
  'prod db',
  'prod.db',
  'prød',
  'a'.repeat(65),
  '',
  ' ',
  'prod/db',
  'PROD',
  'prod-db\n',
  42,
  true,
  ['prod-db'],
  { a: 1 },
]
for (const slug of BAD_SLUGS)
  add(
    `slug ${JSON.stringify(slug)}`,
    edited((d) => (metadata(d).name = slug)),
    "metadata.name: the connection's slug: lowercase letters, digits and single hyphens",
  )
for (const [value, message] of [
  ['', 'Name: required'],
  ['x'.repeat(101), 'Name: at most 100 characters.'],
  ['Prod\u001b[2J', 'Name: cannot contain control characters'],
  ['Prod\u202eDB', 'Name: cannot contain'],
  [5, 'must be text.'],
  [['Prod'], 'must be text.'],
] as const)
  add(
    `displayName ${JSON.stringify(value)}`,
    edited((d) => (metadata(d).displayName = value)),
    `${at('metadata.displayName')}${message}`,
  )
for (const [value, message] of [
  ['payments', 'must map keys to values'],
  [7, 'must map keys to values'],
  [{ team: { nested: 1 } }, 'must be text: a label is key: value.'],
  [{ team: ['a'] }, 'must be text: a label is key: value.'],
  [{ 'a,b': 'c' }, 'Labels: a label cannot contain commas.'],
  [{ [`k${'x'.repeat(40)}`]: 'v' }, 'Labels: each label has at most 40 characters.'],
  [
    Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`l${i}`, 'x'])),
    'Labels: at most 20 labels.',
  ],
  [[1, 2], 'must be text.'],
  [['ok', ' '], 'Labels:'],
  [{ 'bad\u0007': 'x' }, 'Labels: a label cannot contain control characters'],
] as const)
  add(
    `labels ${JSON.stringify(value).slice(0, 40)}`,
    edited((d) => (metadata(d).labels = value)),
    'doc 1 (prod-db): metadata.labels',
    message,
  )
for (const key of ['namespace', 'annotations', 'uid', 'Name'])
  add(
    `metadata.${key}`,
    edited((d) => (metadata(d)[key] = 'x')),
    `${at(`metadata.${key}`)}unknown key "${key}"`,
  )

// -- top level and spec ---------------------------------------------------------------------------
for (const key of ['status', 'data', 'Spec', 'stringData', 'secrets'])
  add(
    `top-level ${key}`,
    edited((d) => (d[key] = { a: 1 })),
    `${at(key)}unknown key "${key}"`,
  )
add(
  'spec missing',
  edited((d) => delete d.spec),
  `${at('spec')}required`,
)
for (const value of ['postgres', 1, ['postgres']])
  add(
    `spec ${JSON.stringify(value)}`,
    edited((d) => (d.spec = value)),
    `${at('spec')}must be a mapping`,
  )
for (const key of ['provider', 'values', 'labels', 'env', 'environment', 'secrets', 'slug'])
  add(
    `spec.${key}`,
    edited((d) => (spec(d)[key] = 'x')),
    `${at(`spec.${key}`)}unknown key "${key}"`,
  )
add(
  'type missing',
  edited((d) => delete spec(d).type),
  `${at('spec.type')}required: one of`,
)
for (const value of [
  'postgresql',
  'mysql',
  'Postgres',
  'aws-sts',
  '',
  5,
  ['postgres'],
  { id: 'postgres' },
  'POSTGRES',
])
  add(
    `type ${JSON.stringify(value)}`,
    edited((d) => (spec(d).type = value)),
    `${at('spec.type')}not a provider Bridgekeep knows: one of`,
  )
for (const value of ['cross-account', 'sso', 'runner-delegated', 'Inline', 'oauth', 3, ['inline']])
  add(
    `authMode ${JSON.stringify(value)}`,
    edited((d) => (spec(d).authMode = value)),
    `${at('spec.authMode')}PostgreSQL takes inline`,
  )
for (const [value, message] of [
  ['development', 'must be a list of environment names or slugs'],
  [{ development: true }, 'must be a list of environment names or slugs'],
  [[1], 'must be an environment name or slug.'],
  [[''], 'must be an environment name or slug.'],
  [[null], 'must be an environment name or slug.'],
  [[['staging']], 'must be an environment name or slug.'],
  [['development', 'Development'], 'is listed twice.'],
] as const)
  add(
    `environments ${JSON.stringify(value)}`,
    edited((d) => (spec(d).environments = value)),
    `doc 1 (prod-db): spec.environments`,
    message,
  )
for (const [value, message] of [
  [5, 'must be text.'],
  [['a'], 'must be text.'],
  ['n'.repeat(4001), 'Notes: at most 4,000 characters.'],
  ['bell\u0007', 'Notes: cannot contain control characters other than line breaks and tabs'],
] as const)
  add(
    `notes ${JSON.stringify(value).slice(0, 30)}`,
    edited((d) => (spec(d).notes = value)),
    `${at('spec.notes')}${message}`,
  )
for (const value of ['yes', 'true', 1, null, ['x']])
  add(
    `shortLivedOnly ${JSON.stringify(value)}`,
    edited((d) => (spec(d).shortLivedOnly = value)),
    `${at('spec.shortLivedOnly')}must be true or false.`,
  )

// -- fields: shape ----------------------------------------------------------------------------------
for (const value of ['host=db', 3, ['host']])
  add(
    `fields ${JSON.stringify(value)}`,
    edited((d) => (spec(d).fields = value)),
    `${at('spec.fields')}must map field keys`,
  )
for (const value of [
  'db.internal',
  5432,
  ['db'],
  {},
  null,
  { value: 'a', valueFrom: { env: { name: 'A' } } },
])
  add(
    `host entry ${JSON.stringify(value)}`,
    edited((d) => (fields(d).host = value)),
    `${at('spec.fields.host')}give { value: ... }.`,
  )
add(
  'field with extra key',
  edited((d) => (fields(d).host = { value: 'db', secret: true })),
  `${at('spec.fields.host.secret')}unknown key "secret"`,
)
for (const value of [['a'], { a: 1 }, null])
  add(
    `host value ${JSON.stringify(value)}`,
    edited((d) => (fields(d).host = { value })),
    `${at('spec.fields.host.value')}Host: must be text`,
  )
add(
  'password as plain text',
  edited((d) => (fields(d).password = CANARY)),
  `${at('spec.fields.password')}Password is secret: give { valueFrom: {...} }`,
)
add(
  'password stored: false',
  edited((d) => (fields(d).password = { stored: false })),
  `${at('spec.fields.password.stored')}only "stored: true"`,
)
add(
  'password stored: "yes"',
  edited((d) => (fields(d).password = { stored: 'yes' })),
  `${at('spec.fields.password.stored')}only "stored: true"`,
)
add(
  'host stored',
  edited((d) => (fields(d).host = { stored: true })),
  `${at('spec.fields.host.stored')}Host is not secret`,
)
add(
  'port 0',
  edited((d) => (fields(d).port = { value: 0 })),
  `${at('spec.fields.port.value')}Port: `,
)
add(
  'port 70000',
  edited((d) => (fields(d).port = { value: 70000 })),
  `${at('spec.fields.port.value')}Port: `,
)
add(
  'port abc',
  edited((d) => (fields(d).port = { value: 'abc' })),
  `${at('spec.fields.port.value')}Port: `,
)
add(
  'port -1',
  edited((d) => (fields(d).port = { value: -1 })),
  `${at('spec.fields.port.value')}Port: `,
)
add(
  'sslmode bogus',
  edited((d) => (fields(d).sslmode = { value: 'always' })),
  `${at('spec.fields.sslmode.value')}SSL mode: "always" is not one of the choices`,
)
add(
  'verify-full without CA',
  edited((d) => (fields(d).sslmode = { value: 'verify-full' })),
  `${at('spec.fields.ca_certificate')}CA certificate: required with SSL mode verify-full`,
)
add(
  'host missing',
  edited((d) => delete fields(d).host),
  `${at('spec.fields.host')}Host: required`,
)
add(
  'host empty',
  edited((d) => (fields(d).host = { value: '' })),
  `${at('spec.fields.host.value')}Host: required`,
)
add(
  'CA certificate not PEM',
  edited((d) => (fields(d).ca_certificate = { value: 'not a certificate' })),
  `${at('spec.fields.ca_certificate.value')}CA certificate:`,
)
add(
  'password missing',
  edited((d) => delete fields(d).password),
  `${at('spec.fields.password')}Password: required. Give { valueFrom: {...} }, or its value with --secrets-from-stdin`,
)
add(
  'github api_url not a URL',
  edited((d) => (fields(d).api_url = { value: 'not a url' }), 1),
  'doc 2 (ci-gh): spec.fields.api_url.value: API base URL:',
)

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
  ['file with newline', { file: { path: '/a\nb' } }, 'File: must not contain control characters.'],
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
add('a list of lists', stringify([[postgres()]]), 'doc 1: (the document): a document is a mapping')
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

describe.skipIf(!privateKeyring)('apply -f refuses malformed documents, and writes nothing', () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const env = () => ({ BRIDGEKEEP_HOME: vault.home, HOME: dir, BRIDGEKEEP_AGENT: 'off' })
  const apply = async (
    variant: Pick<Variant, 'text' | 'secrets'>,
    file: string,
    extra: string[] = [],
  ) => {
    writeFileSync(file, variant.text)
    const args = [
      'apply',
      '-f',
      file,
      ...extra,
      ...(variant.secrets === undefined ? [] : ['--secrets-from-stdin']),
    ]
    return inProcessCli(args, {
      env: env(),
      cwd: dir,
      ...(variant.secrets === undefined ? {} : { input: variant.secrets }),
    })
  }

  beforeAll(async () => {
    vault = await cliVault()
    const { connections } = vault.services
    connections.create(connectionInput('github', 'live-gh'))
    connections.trash(connections.create(connectionInput('github', 'old-gh')).id)
  })

  it('has at least 200 variants, and their base applies (dry run)', async () => {
    expect(variants.length).toBeGreaterThanOrEqual(200)
    expect(new Set(variants.map((variant) => variant.name)).size).toBe(variants.length)
    const base = await apply({ text: edited(() => {}) }, join(dir, 'base.yaml'), ['--dry-run'])
    expect(base.stderr).toBe('')
    expect(base.code).toBe(0)
    expect(base.stdout).toContain('connection/prod-db created (dry run)')
    expect(base.stdout).toContain('connection/ci-gh created (dry run)')
  }, 60_000)

  it.each(variants.map((variant) => [variant.name, variant] as const))(
    '%s',
    async (_name, variant) => {
      const before = vaultFingerprint(vault.home)
      const result = await apply(variant, join(dir, 'docs.yaml'))
      expect(result.code).toBe(variant.code ?? 1)
      expect(result.stdout).toBe('')
      for (const expected of variant.expected) expect(result.stderr).toContain(expected)
      expect(result.stderr).not.toContain(CANARY)
      expect(result.stderr).not.toContain('unexpected error')
      expect(vaultFingerprint(vault.home)).toBe(before)
    },
    30_000,
  )

  it('refuses input larger than 1 MiB before reading it (a sparse file)', async () => {
    const file = join(dir, 'huge.yaml')
    writeFileSync(file, '')
    truncateSync(file, 1024 * 1024 + 1)
    const before = vaultFingerprint(vault.home)
    const result = await inProcessCli(['apply', '-f', file], { env: env(), cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('is larger than 1 MiB: not connection documents.')
    expect(vaultFingerprint(vault.home)).toBe(before)
  })
})
