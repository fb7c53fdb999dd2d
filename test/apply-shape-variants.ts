import { at, edited, fields, metadata, spec, variantTable, CANARY } from './apply-documents'

/** Malformed documents: apiVersion, kind, metadata, spec and the shape of fields. */
export function shapeVariants() {
  const { variants, add } = variantTable()
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
  for (const value of [
    'cross-account',
    'sso',
    'runner-delegated',
    'Inline',
    'oauth',
    3,
    ['inline'],
  ])
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

  return variants
}
