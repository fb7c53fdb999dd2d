import { sign, verify, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import {
  connectionLabelsSchema,
  connectionNameSchema,
  connectionNotesSchema,
  SLUG_PATTERN,
} from '../../../shared/connections'
import { environmentNameSchema } from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import { MAX_SHARE_CONNECTIONS, personNameSchema } from '../../../shared/sharing'
import {
  codePointName,
  safeText,
  UNSAFE_TEXT_ISSUE,
  type UnsafeCharacter,
} from '../../../shared/text'
import { parseAddress, signingPublicKey, type ShareAddress } from './share-address'

/**
 * What a .bkshare decrypts to: one JSON object, signed by the sender.
 *
 *   { "format": "bridgekeep-share", "version": 2, "payload": { ... }, "signature": "<base64url>" }
 *
 * The Ed25519 signature covers the canonical JSON (keys sorted, no whitespace) of the object
 * without its `signature` key, after a domain label, so it binds format, version and payload
 * together. It lives inside the age ciphertext: only recipients see who signed what.
 */
export const SHARE_FORMAT = 'bridgekeep-share'
/**
 * Version 2 added each connection's `source` (optional, so version 1 files still read). The bump
 * is for older readers: their strict schema would call a v2 file malformed; the version tells them
 * to update instead.
 */
export const SHARE_FORMAT_VERSION = 2
const SIGNATURE_DOMAIN = 'bridgekeep/share-signature/v1\n'

const isoTime = z.iso.datetime({ offset: true })
const text = (max: number) => z.string().max(max)
/** An identifier a preview may show (the provider a sender claims, say): no control characters. */
const word = (max: number) => safeText(z.string().min(1).max(max), 'An identifier')

/**
 * Names, labels, notes and scope are checked with the same schemas as this vault's own forms, so a
 * share cannot bring in text the app would refuse from a user: control characters and bidi
 * overrides (src/shared/text.ts) that could redraw or reorder the preview a trust decision is based
 * on are refused, with the field named (`openPayload`).
 */
export const sharedConnectionSchema = z
  .object({
    provider: word(40),
    name: connectionNameSchema,
    slug: z.string().min(1).max(64).regex(SLUG_PATTERN),
    authMode: word(40),
    config: z.record(text(100), text(65_536)),
    secrets: z.record(text(100), text(65_536)),
    labels: connectionLabelsSchema,
    notes: connectionNotesSchema,
    /**
     * The connection in the sender's vault, and the secret version sent: a later share of it from
     * the same signer replaces the imported copy as a new version (share-import-held.ts).
     */
    source: z
      .object({ id: z.string().min(1).max(100), version: z.number().int().min(1) })
      .strict()
      .optional(),
  })
  .strict()
export type SharedConnection = z.infer<typeof sharedConnectionSchema>

export const payloadSchema = z
  .object({
    shareId: z.uuid(),
    createdAt: isoTime,
    expiresAt: isoTime,
    useOnly: z.boolean(),
    /** Environment names the connections may be used in. */
    scope: z.array(environmentNameSchema).min(1).max(100),
    sender: z.object({ name: personNameSchema, address: z.string().max(300) }).strict(),
    connections: z.array(sharedConnectionSchema).min(1).max(MAX_SHARE_CONNECTIONS),
  })
  .strict()
export type SharePayload = z.infer<typeof payloadSchema>

export interface VerifiedShare {
  payload: SharePayload
  /** The sender's address as signed (the key that verified the signature). */
  sender: ShareAddress
}

/** The signed plaintext of a share (`version` other than the current one: tests of old files). */
export function signPayload(
  payload: SharePayload,
  signingKey: KeyObject,
  version = SHARE_FORMAT_VERSION,
): Uint8Array {
  const unsigned = { format: SHARE_FORMAT, version, payload }
  const signature = sign(null, signedBytes(unsigned), signingKey).toString('base64url')
  return Buffer.from(canonicalJson({ ...unsigned, signature }), 'utf8')
}

/**
 * Checks, in this order: JSON, format and version (a newer version is refused as such, before
 * anything else is read), the signature against the sender key the payload names, and only then
 * the payload's shape. Whether that key is trusted is the caller's decision.
 */
export function openPayload(plaintext: Uint8Array): VerifiedShare {
  let outer: unknown
  try {
    outer = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext))
  } catch {
    throw malformed('The share decrypted, but its content is not a Bridgekeep share.')
  }
  if (!isRecord(outer) || outer.format !== SHARE_FORMAT) {
    throw malformed('The file is age-encrypted, but not a Bridgekeep share.')
  }
  const { version, payload, signature } = outer
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw malformed('The share has no valid format version.')
  }
  if (version > SHARE_FORMAT_VERSION) {
    throw new BridgekeepError(
      'SHARE_TOO_NEW',
      `This share uses format version ${version}; this version of Bridgekeep reads up to version ${SHARE_FORMAT_VERSION}. Nothing was imported.`,
      'Update Bridgekeep, then import the share again.',
    )
  }
  if (!isRecord(payload) || typeof signature !== 'string' || !isRecord(payload.sender)) {
    throw malformed('The share is incomplete: its payload or signature is missing.')
  }
  let sender: ShareAddress
  try {
    sender = parseAddress(String(payload.sender.address))
  } catch {
    throw malformed('The share does not name a valid sender address.')
  }
  const unsigned = { format: SHARE_FORMAT, version, payload }
  let valid = false
  try {
    valid = verify(
      null,
      signedBytes(unsigned),
      signingPublicKey(sender.signingKey),
      Buffer.from(signature, 'base64url'),
    )
  } catch {
    valid = false
  }
  if (!valid) {
    throw new BridgekeepError(
      'SHARE_TAMPERED',
      'The share’s signature does not match its content: it was altered after the sender signed it. Nothing was imported.',
      'Ask the sender for the share again, and compare their fingerprint with them.',
    )
  }
  const parsed = payloadSchema.safeParse(payload)
  if (!parsed.success) {
    const unsafe = unsafeTextIn(parsed.error, payload)
    if (unsafe) {
      throw new BridgekeepError(
        'SHARE_MALFORMED',
        `The share holds a control character in ${unsafe}: it could disguise what the share shows. Nothing was imported.`,
        'Do not trust what this share claims. If you expected it, ask the sender to remove the character and share it again.',
      )
    }
    throw malformed('The share’s content does not have the shape Bridgekeep writes.')
  }
  return { payload: parsed.data, sender }
}

/**
 * Where the first refused character of a payload is, for a message: "the name of connection
 * prod-aws (U+001B at position 1)". Slugs are safe to name (their pattern allows no controls);
 * a connection whose slug is not valid either is named by its place in the share.
 */
export function unsafeTextIn(
  error: z.ZodError,
  payload: unknown,
  senderName = 'the sender’s name',
): string | undefined {
  for (const issue of error.issues) {
    if (issue.code !== 'custom') continue
    const found = (issue.params as Record<string, UnsafeCharacter> | undefined)?.[UNSAFE_TEXT_ISSUE]
    if (!found) continue
    const at = `(${codePointName(found.codePoint)} at position ${found.position})`
    const [first, index, field] = issue.path
    if (first === 'sender') return `${senderName} ${at}`
    if (first === 'scope') return `an environment name of its scope ${at}`
    if (first !== 'connections' || typeof index !== 'number') return `its content ${at}`
    const slug = (payload as { connections?: { slug?: unknown }[] }).connections?.[index]?.slug
    const connection =
      typeof slug === 'string' && SLUG_PATTERN.test(slug) && slug.length <= 64
        ? `connection ${slug}`
        : `connection ${index + 1} of the share`
    const what =
      field === 'name'
        ? 'the name'
        : field === 'labels'
          ? 'a label'
          : field === 'notes'
            ? 'the notes'
            : field === 'provider'
              ? 'the provider'
              : field === 'authMode'
                ? 'the authentication mode'
                : 'a field'
    return `${what} of ${connection} ${at}`
  }
  return undefined
}

function signedBytes(unsigned: unknown): Buffer {
  return Buffer.from(SIGNATURE_DOMAIN + canonicalJson(unsigned), 'utf8')
}

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives the
 * same bytes. Only what JSON.parse can produce is accepted (integers only, as shares use).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value)
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw malformed('The share holds a number it should not.')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isRecord(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`
  }
  throw malformed('The share holds a value JSON cannot carry.')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function malformed(reason: string): BridgekeepError {
  return new BridgekeepError(
    'SHARE_MALFORMED',
    `${reason} Nothing was imported.`,
    'Import the .bkshare file or the armored text exactly as the sender gave it.',
  )
}
