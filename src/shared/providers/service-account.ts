import { parseJson, SyntaxProblem } from '../parse-untrusted'
import { decodeBase64, decodeUtf8 } from './encoding'
import { email, fail, ok, quote } from './fields'
import type { Parsed, Parser } from './fields'
import { isDer, pemBlocks } from './pem'

// A key is a secret: no problem here may quote any part of it (parseJson's SyntaxProblem gives
// only a position).

const WHERE =
  'Create one under IAM & Admin → Service accounts → the account → Keys → Add key → JSON, then paste the file or pick it.'

type Decoded = { ok: true; key: Record<string, unknown> } | { ok: false; problem: string }

function decode(input: string): Decoded {
  const text = input.trim()
  let json: string | undefined = text
  if (!text.startsWith('{')) {
    // Keys often travel base64-encoded (CI variables, Terraform's credentials argument).
    const bytes = decodeBase64(text)
    json = bytes && decodeUtf8(bytes)?.trim()
    if (!json?.startsWith('{'))
      return { ok: false, problem: `is neither JSON nor base64 of JSON. ${WHERE}` }
  }
  let parsed: unknown
  try {
    parsed = parseJson(json)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    return { ok: false, problem: `${error.message}. ${WHERE}` }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, problem: `must be a JSON object. ${WHERE}` }
  return { ok: true, key: parsed as Record<string, unknown> }
}

/** GCP: accepts raw JSON or base64 of it; returns canonical JSON text. */
export function normalizeServiceAccountKey(input: string): string {
  const decoded = decode(input)
  if (!decoded.ok) throw new Error(`Service account key: ${decoded.problem}`)
  return JSON.stringify(decoded.key, null, 2)
}

const PROJECT_ID = /^(?:[a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/

/** Project IDs: 6–30 lowercase letters, digits and hyphens, starting with a letter. */
export const projectId: Parser = (value) =>
  PROJECT_ID.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not a project ID: 6–30 lowercase letters, digits and hyphens, starting with a letter (e.g. acme-platform-prod). Use the ID, not the display name.`,
      )

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined

function wrongType(type: unknown): string {
  if (type === 'authorized_user')
    return `is a user credential (from gcloud auth application-default login), not a service account key. ${WHERE}`
  if (type === 'external_account')
    return 'is a workload identity federation configuration, not a service account key. Use runner-delegated mode on a runner set up for federation, or create a JSON key.'
  return `is not a service account key: its "type" must be "service_account". ${WHERE}`
}

function privateKeyProblem(pem: string): string | undefined {
  const blocks = pemBlocks(pem)
  const block = blocks[0]
  if (blocks.length !== 1 || block?.label !== 'PRIVATE KEY')
    return '"private_key" must hold one -----BEGIN PRIVATE KEY----- block. The file may be damaged; create a new key.'
  if (!isDer(block.der))
    return '"private_key" is damaged (its body is not base64 DER). Paste the file unchanged, or create a new key.'
  return undefined
}

/** The whole key file: decoded, checked field by field, returned as canonical JSON. */
export const serviceAccountKey: Parser = (value): Parsed => {
  const decoded = decode(value)
  if (!decoded.ok) return fail(decoded.problem)
  const key = { ...decoded.key }
  if (key.type !== 'service_account') return fail(wrongType(key.type))
  // The key's project is optional (the Project ID field may name it), but when given it is one.
  const project = key.project_id
  if (project !== undefined && (typeof project !== 'string' || !PROJECT_ID.test(project)))
    return fail(`"project_id" is not a project ID. ${WHERE}`)
  if (!text(key.private_key_id)) return fail(`"private_key_id" is missing. ${WHERE}`)
  const clientEmail = text(key.client_email)
  if (!clientEmail || !email(clientEmail).ok)
    return fail(`"client_email" is missing or not an email address. ${WHERE}`)
  let privateKey = text(key.private_key)
  if (!privateKey) return fail(`"private_key" is missing. ${WHERE}`)
  // Keys that went through an environment variable often carry literal "\n" instead of newlines.
  if (!privateKey.includes('\n')) privateKey = privateKey.replace(/\\n/g, '\n')
  const problem = privateKeyProblem(privateKey)
  if (problem) return fail(problem)
  key.private_key = privateKey
  return ok(JSON.stringify(key, null, 2))
}

/**
 * The project a (stored, canonical) key names in its project_id, if any. Not a secret: the
 * details page shows it as the project "from the key".
 */
export function keyProjectId(key: string | undefined): string | undefined {
  if (!key) return undefined
  const decoded = decode(key)
  if (!decoded.ok) return undefined
  const project = decoded.key.project_id
  return typeof project === 'string' && PROJECT_ID.test(project) ? project : undefined
}
