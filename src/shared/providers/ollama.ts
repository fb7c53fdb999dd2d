import { caCertificateField } from './endpoint-fields'
import { defineField, fail, ok, opaqueSecret, quote } from './fields'
import type { Parser } from './fields'
import type { FieldIssue, ProviderSpec } from './types'

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

// Ollama usually listens on plain http, on this machine or on one in the LAN; a token over plain
// http to another machine is refused by the check below, not here.
const serverUrl: Parser = (value) => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail(`${quote(value)} is not a URL; use the full address, e.g. http://localhost:11434.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail('must start with http:// or https://, e.g. http://localhost:11434.')
  if (url.username || url.password)
    return fail('must not contain a user name or password; put a token in Bearer token.')
  if (url.search || url.hash) return fail('must not have a query string (?…) or fragment (#…).')
  return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`)
}

const baseUrl = defineField({
  key: 'base_url',
  label: 'Server URL',
  required: true,
  input: 'url',
  defaultValue: 'http://localhost:11434',
  example: 'http://localhost:11434',
  help: 'Where the Ollama server listens (ollama serve; OLLAMA_HOST on the server). Port 11434 unless changed.',
  parse: serverUrl,
})
const token = defineField({
  key: 'api_key',
  label: 'Bearer token',
  secret: true,
  help: 'Optional: the token a reverse proxy in front of Ollama (or ollama.com) expects, sent as Authorization: Bearer. Ollama itself asks for none.',
  parse: opaqueSecret(8),
})

// Only a token given now counts: a kept one is unknown (most LAN servers have none), and the
// runner checks the stored values again before it sends anything.
function check(values: Readonly<Record<string, string>>): FieldIssue[] {
  const url = values[baseUrl.key]
  if (!url || values[token.key] === undefined) return []
  const { protocol, hostname } = new URL(url)
  return protocol === 'http:' && !LOOPBACK.has(hostname)
    ? [
        {
          field: token.key,
          message: `Bearer token: would be sent over plain http to ${hostname}. Put the server behind https (a reverse proxy with TLS), or leave the token empty.`,
        },
      ]
    : []
}

export const ollama: ProviderSpec = {
  id: 'ollama',
  label: 'Ollama',
  category: 'AI',
  description: 'An Ollama server, with an optional bearer token for a proxy in front of it.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [baseUrl, token, caCertificateField('the server')],
  check,
}
