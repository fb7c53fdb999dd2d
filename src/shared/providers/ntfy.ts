import { caCertificateField } from './endpoint-fields'
import { baseUrl, defineField, fail, missingFromGroup, ok, singleLine } from './fields'
import type { Parser } from './fields'
import { password } from './postgres'
import type { CheckContext, FieldIssue, ProviderSpec } from './types'

const TOKEN_PLACE =
  'the ntfy web app → Account → Access tokens → Create access token (or `ntfy token add <user>`)'

// Not quoted: on a public server the topic name is what keeps others from reading it.
const topicName: Parser = (value) => {
  if (value.startsWith('http://') || value.startsWith('https://'))
    return fail(
      'must be the topic name only (the part after the server address); the server has its own field.',
    )
  return /^[-_A-Za-z0-9]{1,64}$/.test(value)
    ? ok(value)
    : fail('must be 1 to 64 letters, digits, "-" and "_".')
}

const accessToken: Parser = (value) => {
  if (/^Bearer\s/i.test(value)) return fail('must be the token alone, without "Bearer ".')
  return /^tk_[A-Za-z0-9]{29}$/.test(value)
    ? ok(value)
    : fail(`must look like tk_ followed by 29 letters and digits: ${TOKEN_PLACE}.`)
}

const token = defineField({
  key: 'access_token',
  label: 'Access token',
  secret: true,
  revealLast4: true,
  placeholder: 'tk_…',
  help: `Optional, for servers with access control: ${TOKEN_PLACE}. Or give a username and password instead.`,
  parse: accessToken,
})
const username = defineField({
  key: 'username',
  label: 'Username',
  example: 'alerts',
  help: 'Optional: a user of the ntfy server, with the password below, instead of an access token.',
  parse: singleLine(128),
})
const userPassword = defineField({
  key: 'password',
  label: 'Password',
  secret: true,
  help: "The user's password (with Username).",
  parse: password,
})

function check(
  values: Readonly<Record<string, string>>,
  _authMode: string,
  context?: CheckContext,
): FieldIssue[] {
  // Only values given now: a token kept while editing may be the one being replaced by a login.
  const given = (key: string) => values[key] !== undefined
  if (given(token.key) && (given(username.key) || given(userPassword.key)))
    return [
      {
        field: token.key,
        message:
          'Access token: give either an access token or a username and password, not both; ntfy uses one of them.',
      },
    ]
  return missingFromGroup(
    values,
    context,
    [username, userPassword],
    'with the other half of the login: give both the username and the password, or neither.',
  )
}

export const ntfy: ProviderSpec = {
  id: 'ntfy',
  label: 'ntfy',
  category: 'Notifications',
  description:
    'A topic on ntfy.sh or your own ntfy server, with an optional access token or login.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'server_url',
      label: 'Server',
      input: 'url',
      example: 'https://ntfy.example.com',
      defaultValue: 'https://ntfy.sh',
      help: 'https://ntfy.sh, or the address of your own ntfy server.',
      parse: baseUrl('https://ntfy.example.com'),
    }),
    defineField({
      key: 'topic',
      label: 'Topic',
      secret: true,
      required: true,
      revealLast4: true,
      help: 'The topic to publish to: the last part of its address (https://ntfy.sh/<topic>). On a public server anyone who knows the name can read and post, so it is stored as a secret; pick one nobody could guess.',
      missing: 'Enter the topic name, the part after the server address in its subscribe URL.',
      parse: topicName,
    }),
    token,
    username,
    userPassword,
    caCertificateField('the server'),
  ],
  check,
}
