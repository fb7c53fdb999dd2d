import { z } from 'zod/mini'
import type { listingAnswerSchemas } from './agent-listing-answers'
import type { AgentRequestBody } from './agent-protocol'
import { errorCodes } from './errors'
import { DEFAULT_MAX_FRAME_BYTES } from './runner-protocol/framing'

/**
 * The agent's side of the agent protocol (agent-protocol.ts has the requests): the envelope of
 * every answer and the answers to exec, credential-process, status, lock and unlock, which the client
 * checks before it uses them. Written with zod/mini, zod's tree-shakable form, so that a call on
 * every use (exec, credential_process) loads a small part of zod instead of all of it: loading
 * and building classic zod was most of such a call's start through the agent (see
 * `npm run bench -- cli`). The requests stay in classic zod, checked by the agent, which starts
 * once; the client only builds them, from their types.
 */

/**
 * Bumped when a request or response changes shape; each side refuses another version. 5: a use
 * may say `commandsOnTerminal`, and the agent then asks it to run `command:` references
 * (agentAskSchema) before it answers.
 */
export const AGENT_PROTOCOL_VERSION = 5
/** The most of its environment a caller sends with a use (src/cli/caller-env.ts). */
export const CALLER_ENV_MAX_BYTES = 128 * 1024
/** A variable longer than this is not sent (a secret value is at most 64 KiB). */
export const CALLER_ENV_VALUE_MAX = 64 * 1024
/** The most a `command:` reference's value may be (REFERENCE_MAX_BYTES: 64 KiB of output). */
export const COMMAND_VALUE_MAX = 64 * 1024
/** The names sent: what `env:` references may name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** A response may list every connection or carry a kubeconfig: the runner's limit. */
export const AGENT_MAX_RESPONSE_BYTES = DEFAULT_MAX_FRAME_BYTES

/**
 * How long the client waits for an answer: verify reaches every service; exec and
 * credential-process may wait for someone to type an MFA code in the app (MFA_PROMPT_TIMEOUT_MS);
 * team-use reaches the team database; the rest are local.
 */
export function agentTimeoutMs(op: AgentRequestBody['op']): number {
  if (op === 'verify') return 180_000
  const uses = ['exec', 'credential-process', 'credential-helper', 'team-use']
  return uses.includes(op) ? 150_000 : 30_000
}

/**
 * Credentials of one connection, ready to use, as exec turns them into variables and files
 * (cli/exec/credentials-env.ts): issued values under the provider's field keys, and the
 * credentials of connections it borrows (ECR, state backends), keyed by the borrowing field.
 */
export interface CredentialSet {
  provider: string
  authMode: string
  config: Readonly<Record<string, string>>
  secrets: Readonly<Record<string, string>>
  linked?: Readonly<Record<string, CredentialSet>>
}
// Schemas are immutable, so the few leaves are shared, and each answer's schema is built only
// when asked for: building zod schemas, more than checking with them, is what a call through the
// agent spends.
const text = z.string()
const optionalText = z.optional(text)
const strings = z.record(text, text)
const credentialSetSchema: z.ZodMiniType<CredentialSet> = z.lazy(() =>
  z.strictObject({
    provider: text,
    authMode: text,
    config: strings,
    secrets: strings,
    linked: z.optional(z.record(text, credentialSetSchema)),
  }),
)

const agentStatusSchema = () =>
  z.object({
    pid: z.int().check(z.positive()),
    dataDir: text,
    socket: text,
    /** `missing`: the vault's file was deleted (or replaced) while the agent ran. */
    vault: z.enum(['unlocked', 'locked', 'missing']),
    version: text,
  })

/**
 * The answers to exec, credential-process, status, lock and unlock: the ones a call on every use waits
 * for. The listings' (ls, show, verify, env-ls) are in agent-listing-answers.ts, built from the
 * connection, health and environment schemas and loaded only by a command that asks for one.
 */
const usedConnectionSchema = () =>
  z.object({ credentials: credentialSetSchema, connection: text, environment: text })
const callAnswerSchemas = {
  exec: usedConnectionSchema,
  /** As exec: the CLI turns the credentials into the tool's protocol (cli/credential-helpers/). */
  'credential-helper': usedConnectionSchema,
  /** The JSON the AWS CLI and SDKs read from a credential_process (Version 1). */
  'credential-process': () =>
    z.strictObject({
      Version: z.literal(1),
      AccessKeyId: text,
      SecretAccessKey: text,
      SessionToken: optionalText,
      Expiration: optionalText,
    }),
  /** As exec, and whether the team database was out of reach (this vault's copy was used). */
  'team-use': () =>
    z.object({
      credentials: credentialSetSchema,
      connection: text,
      environment: text,
      offline: z.boolean(),
    }),
  status: agentStatusSchema,
  lock: agentStatusSchema,
  unlock: agentStatusSchema,
}

type CallAnswers = {
  [K in keyof typeof callAnswerSchemas]: z.infer<ReturnType<(typeof callAnswerSchemas)[K]>>
}
type ListingAnswers = {
  [K in keyof typeof listingAnswerSchemas]: z.infer<(typeof listingAnswerSchemas)[K]>
}
export type AgentValue<K extends AgentRequestBody['op']> = (CallAnswers & ListingAnswers)[K]

/** The schema of the answer to `op` (a zod/mini one, or a listing's classic one). */
export async function agentValueSchema(op: AgentRequestBody['op']): Promise<z.core.$ZodType> {
  if (op in callAnswerSchemas) return callAnswerSchemas[op as keyof typeof callAnswerSchemas]()
  const { listingAnswerSchemas } = await import('./agent-listing-answers')
  return listingAnswerSchemas[op as keyof typeof listingAnswerSchemas]
}

const agentErrorSchema = z.object({ code: z.enum(errorCodes), message: text, hint: optionalText })
const version = z.literal(AGENT_PROTOCOL_VERSION)

/**
 * Before its answer, the agent may ask a caller that said `commandsOnTerminal` to run a
 * connection's `command:` reference on its terminal (the argv as stored, as `show` names it), and
 * waits for the result on the same connection (agent-protocol.ts: agentCommandResultSchema).
 * The limits are the reference's own (shared/secret-reference.ts).
 */
export const agentAskSchema = z.strictObject({
  v: version,
  n: z.int().check(z.nonnegative()),
  runCommand: z.strictObject({
    argv: z
      .array(text.check(z.minLength(1), z.maxLength(4096)))
      .check(z.minLength(1), z.maxLength(64)),
  }),
})

/** The envelope of every answer; `value` is checked against the request's own schema. */
export const agentResponseSchema = z.discriminatedUnion('ok', [
  z.object({ v: version, ok: z.literal(true), value: z.unknown() }),
  z.object({ v: version, ok: z.literal(false), error: agentErrorSchema }),
])
export type AgentResponse = z.infer<typeof agentResponseSchema>
