import { z } from 'zod'
import {
  AGENT_PROTOCOL_VERSION,
  CALLER_ENV_VALUE_MAX,
  COMMAND_VALUE_MAX,
  ENV_NAME,
} from './agent-answers'
import { safeText } from './text'

/**
 * What `bridgekeep` and a running agent (`bridgekeep agent`) say to each other over the agent's
 * socket, in the runner's length-prefixed JSON frames (runner-protocol/framing.ts). One connection carries
 * one exchange: the client sends one request frame, the agent answers with one response frame and
 * closes. Both sides validate what they receive: the agent the requests with these schemas, the
 * client the answers with agent-answers.ts (zod/mini, so that a call through the agent stays
 * light); any other frame (a second request, junk, a response) is refused and the connection
 * closed.
 *
 * Who may ask: the socket is 0600 in a 0700 folder of the vault's user (a named pipe on Windows),
 * which is the first line. Node cannot read the peer's credentials (SO_PEERCRED, getpeereid), so
 * the agent cannot ask the OS who connected; instead every request carries the token the agent
 * wrote at its start to `<data folder>/agent.token` (0600, in the 0700 data folder, not beside the
 * socket). Reading it proves the caller runs as the vault's user (or as root) even if the socket's
 * folder was loosened by mistake, and on Windows, where a pipe has no folder. A request without it
 * is refused and audited before anything else is looked at.
 */

/**
 * A request is a few names and the caller's environment (at most CALLER_ENV_MAX_BYTES of it):
 * anything bigger is junk, refused on its header alone.
 */
export const AGENT_MAX_REQUEST_BYTES = 256 * 1024

/** How long the agent waits for the request once a client connected. */
export const AGENT_READ_TIMEOUT_MS = 5_000

const ref = z.string().min(1).max(500)
/** The tools whose own credential-helper protocols the CLI speaks (cli/credential-helpers/). */
export const CREDENTIAL_HELPER_TOOLS = ['git', 'docker', 'kubectl'] as const
export type CredentialHelperTool = (typeof CREDENTIAL_HELPER_TOOLS)[number]
/**
 * The code of the connection's MFA device, typed for this one use (--mfa-code,
 * BRIDGEKEEP_MFA_CODE, or on the terminal after the agent asked for it); never logged or stored.
 */
const mfaCode = z
  .string()
  .regex(/^\d{6}$/)
  .optional()
/**
 * The caller's environment variables, sent with a use so that `env:` secret references read the
 * caller's environment and not the agent's (and a `command:` reference runs with it). Over the
 * user-only socket only; the agent reads the referenced names and logs none of it.
 */
const callerEnv = z
  .record(z.string().max(256).regex(ENV_NAME), z.string().max(CALLER_ENV_VALUE_MAX))
  .optional()
/** What a caller says it is: text that ends up in the audit trail, so no control characters. */
const programName = safeText(z.string().min(1).max(200), 'Program')
/**
 * The caller has a person at its terminal (stdin and stderr are terminals) and runs the
 * connection's `command:` references there itself, so that a password manager can prompt: the
 * agent asks it to, on the same connection (agentCommandResultSchema), and still resolves,
 * authorizes, reads everything else, issues and audits the use. Without it such a command runs
 * detached in the agent.
 */
const commandsOnTerminal = z.literal(true).optional()

const vaultRequests = [
  z
    .object({
      op: z.literal('exec'),
      ref,
      env: ref,
      program: programName,
      /** Azure: the resource the access token is for, instead of the connection's. */
      azureScope: ref.optional(),
      mfaCode,
      /**
       * The caller asks on its own terminal when the agent has nobody to ask, and sends the
       * request again with the code: MFA_CODE_REQUIRED is then its cue, not a refused use, and
       * the audit trail records the try that follows, once.
       */
      asksMfaItself: z.literal(true).optional(),
      callerEnv,
      commandsOnTerminal,
    })
    .strict(),
  z
    .object({
      op: z.literal('credential-process'),
      name: ref,
      env: ref,
      mfaCode,
      callerEnv,
      commandsOnTerminal,
    })
    .strict(),
  /**
   * A tool's credential helper (git, docker, kubectl): the connection named by `ref`, or the one
   * whose host is `host` (what git or docker asked for, normalized by the CLI to host[:port]).
   */
  z
    .object({
      op: z.literal('credential-helper'),
      tool: z.enum(CREDENTIAL_HELPER_TOOLS),
      env: ref,
      ref: ref.optional(),
      host: z
        .string()
        .max(300)
        .regex(/^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/)
        .optional(),
      callerEnv,
      commandsOnTerminal,
    })
    .strict(),
  z
    .object({
      op: z.literal('ls'),
      provider: ref.optional(),
      env: ref.optional(),
      labels: z.array(ref).max(50),
    })
    .strict(),
  z.object({ op: z.literal('show'), ref }).strict(),
  z
    .object({
      op: z.literal('verify'),
      refs: z.array(ref).max(1000),
      env: ref.optional(),
      /** For the first connection whose role needs it (one code, one STS call: see verify). */
      mfaCode,
      callerEnv,
    })
    .strict(),
  z.object({ op: z.literal('env-ls') }).strict(),
  /**
   * `exec --team`: a team connection opened for a use in `env` (TeamConnectionsService.open), by
   * an agent that keeps the team's verified log in memory between uses.
   */
  z.object({ op: z.literal('team-use'), team: ref, ref, env: ref }).strict(),
] as const

const agentRequests = [
  /** Whether the agent answers, where it serves, and whether its vault is unlocked. */
  z.object({ op: z.literal('status') }).strict(),
  /** Locks the agent's vault (bridgekeep lock); a locked agent refuses every vault operation. */
  z.object({ op: z.literal('lock') }).strict(),
  /**
   * Unlocks the agent's vault (bridgekeep unlock), which cannot ask anyone itself: with the
   * passphrase the caller read from its terminal or file, or from the keychain when none is sent.
   * The agent never logs it; a malformed request is logged by field names only.
   */
  z
    .object({ op: z.literal('unlock'), passphrase: z.string().min(1).max(1024).optional() })
    .strict(),
] as const

export const agentRequestBodySchema = z.discriminatedUnion('op', [
  ...vaultRequests,
  ...agentRequests,
])
export type AgentRequestBody = z.infer<typeof agentRequestBodySchema>
/** The operations that need the unlocked vault: the ones the CLI also runs in-process. */
export type VaultRequest = Exclude<AgentRequestBody, { op: 'status' | 'lock' | 'unlock' }>
export type VaultOp = VaultRequest['op']

export const agentRequestSchema = z
  .object({
    v: z.literal(AGENT_PROTOCOL_VERSION),
    /** The data folder the client means: an agent serving another vault refuses. */
    dataDir: z.string().min(1).max(4096),
    /** The agent's token (main/agent/agent-token.ts): the agent checks it before all else. */
    token: z.string().max(128),
    /** Recorded in the audit trail; the agent checks the pid against /proc where it can. */
    caller: z.object({ pid: z.number().int().positive(), program: programName }).strict(),
    request: agentRequestBodySchema,
  })
  .strict()
export type AgentRequest = z.infer<typeof agentRequestSchema>

/** Why a command failed on the caller's terminal, as the audit trail and the message say it. */
const failureText = (label: string, max: number) => safeText(z.string().min(1).max(max), label)

/**
 * The caller's answer to the agent's `runCommand` (agent-answers.ts): what the command printed
 * (its value, at most 64 KiB, one trailing newline dropped), or why it gave none. The agent takes
 * it as a reference read on the caller's terminal: checked by the field's schema and audited like
 * one read in the agent. It can tell the agent nothing an `env:` reference could not (the caller
 * chooses those values too), and the agent never runs anything the caller names.
 */
export const agentCommandResultSchema = z
  .object({
    v: z.literal(AGENT_PROTOCOL_VERSION),
    /** The number of the agent's ask this answers. */
    n: z.number().int().nonnegative(),
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.string().min(1).max(COMMAND_VALUE_MAX) }).strict(),
      z
        .object({
          ok: z.literal(false),
          reason: failureText('Reason', 300),
          said: failureText('Said', 200).optional(),
        })
        .strict(),
    ]),
  })
  .strict()
export type AgentCommandResult = z.infer<typeof agentCommandResultSchema>
