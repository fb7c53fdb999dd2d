import { createHash, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import { encodeAad } from '../../security/aad'
import { signingPublicKey } from '../sharing/share-address'
import { canonicalJson } from './signed-chain'

/**
 * What travels between a member and a team runner through the team database: a request signed
 * by the member's Ed25519 key (their vault's sharing identity, as team changes are), and the
 * runner's answer signed by the admin's key that runs it, its credentials age-encrypted to the
 * requester. The database only carries both; each reader verifies the signature over the exact
 * body, bound to its team, its id and its signer.
 */
export const REQUEST_DOMAIN = 'bridgekeep/team-request/v1'
export const ANSWER_DOMAIN = 'bridgekeep/team-answer/v1'

/**
 * What a team runner does for a request: `issue-credentials`, the short-lived credentials of the
 * connection's provider (an AWS session, a GCP or Azure access token: the runner's operation of
 * that name). `aws.session` is what requesters asked before other kinds existed, and an AWS
 * session only is what they can open: it is still answered, for AWS connections only.
 */
export const ISSUE_CREDENTIALS = 'issue-credentials'
export const LEGACY_AWS_SESSION = 'aws.session'
export const teamOperations = [ISSUE_CREDENTIALS, LEGACY_AWS_SESSION] as const
export type TeamOperation = (typeof teamOperations)[number]

const uuid = z.string().uuid()

export const requestBodySchema = z
  .object({
    id: uuid,
    teamId: uuid,
    connection: z.string().min(1).max(200),
    environment: z.string().min(1).max(100),
    /** Any text: the runner refuses, with a clear reason, an operation it does not know. */
    operation: z.string().min(1).max(60),
    issuedAt: z.string().datetime(),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
  })
  .strict()
export type RequestBody = z.infer<typeof requestBodySchema>

export const answerBodySchema = z
  .object({
    requestId: uuid,
    teamId: uuid,
    /** The requester's signing key, as the request row names it: the answer is for them only. */
    requester: z.string(),
    status: z.enum(['issued', 'refused']),
    /** Why a request was refused, in words its requester acts on. */
    reason: z.string().max(600).optional(),
    /** The credentials: an age file to the requester's recipient, base64. */
    credentials: z.string().max(20_000).optional(),
    expiration: z.string().datetime().optional(),
    answeredAt: z.string().datetime(),
  })
  .strict()
export type AnswerBody = z.infer<typeof answerBodySchema>

/** A request as stored: `requester` is the key that signed `body`. */
export interface RequestRow {
  teamId: string
  id: string
  requester: string
  body: string
  signature: string
}

export interface AnswerRow {
  teamId: string
  requestId: string
  runner: string
  body: string
  signature: string
  status: 'issued' | 'refused'
}

/** The request's content for a new use: a fresh random id and nonce, issued now. */
export function newRequestBody(
  teamId: string,
  use: { connection: string; environment: string; operation: TeamOperation },
  now: Date,
): RequestBody {
  return {
    id: randomUUID(),
    teamId,
    ...use,
    issuedAt: now.toISOString(),
    nonce: randomBytes(24).toString('base64url'),
  }
}

export function signRequest(body: RequestBody, signer: { signingKey: string; key: KeyObject }) {
  const text = canonicalJson(body)
  const row: RequestRow = {
    teamId: body.teamId,
    id: body.id,
    requester: signer.signingKey,
    body: text,
    signature: '',
  }
  return { ...row, signature: signMessage(REQUEST_DOMAIN, requestParts(row), signer.key) }
}

export function signAnswer(body: AnswerBody, signer: { signingKey: string; key: KeyObject }) {
  const row: AnswerRow = {
    teamId: body.teamId,
    requestId: body.requestId,
    runner: signer.signingKey,
    body: canonicalJson(body),
    signature: '',
    status: body.status,
  }
  return { ...row, signature: signMessage(ANSWER_DOMAIN, answerParts(row), signer.key) }
}

/** The request's content when its signature holds and it matches its row; else why not. */
export function readRequest(row: RequestRow): { body: RequestBody } | { problem: string } {
  if (!signatureHolds(REQUEST_DOMAIN, requestParts(row), row.requester, row.signature))
    return { problem: 'its signature does not match its requester (forged or edited)' }
  const body = parseJson(requestBodySchema, row.body)
  if (!body) return { problem: 'its content is not a valid request' }
  if (body.id !== row.id || body.teamId !== row.teamId)
    return { problem: 'its signed id or team is not the one it was stored under' }
  return { body }
}

/** The answer's content when it is signed by `row.runner` and answers `request`; else why not. */
export function readAnswer(
  row: AnswerRow,
  request: RequestRow,
): { body: AnswerBody } | { problem: string } {
  if (!signatureHolds(ANSWER_DOMAIN, answerParts(row), row.runner, row.signature))
    return { problem: "its signature does not match the runner's key (forged or edited)" }
  const body = parseJson(answerBodySchema, row.body)
  if (!body) return { problem: 'its content is not a valid answer' }
  if (
    body.requestId !== request.id ||
    body.teamId !== request.teamId ||
    body.requester !== request.requester ||
    body.status !== row.status
  )
    return { problem: 'it answers another request than this one' }
  return { body }
}

function requestParts(row: RequestRow): string[] {
  return [row.teamId, row.id, row.requester, row.body]
}

function answerParts(row: AnswerRow): string[] {
  return [row.teamId, row.requestId, row.runner, row.body]
}

function digest(domain: string, parts: readonly string[]): Buffer {
  return createHash('sha256')
    .update(encodeAad([domain, ...parts]))
    .digest()
}

function signMessage(domain: string, parts: readonly string[], key: KeyObject): string {
  return sign(null, digest(domain, parts), key).toString('base64url')
}

function signatureHolds(
  domain: string,
  parts: readonly string[],
  signer: string,
  signature: string,
): boolean {
  try {
    return verify(
      null,
      digest(domain, parts),
      signingPublicKey(signer),
      Buffer.from(signature, 'base64url'),
    )
  } catch {
    return false
  }
}

function parseJson<T>(schema: z.ZodType<T>, text: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
