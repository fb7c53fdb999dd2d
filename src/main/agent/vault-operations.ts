import { describeCaller, type AgentCaller } from './caller'
import type { Services } from '../services'
import type { VaultCore } from '../services/vault-core'
import type { AgentValue } from '../../shared/agent-answers'
import type { VaultOp, VaultRequest } from '../../shared/agent-protocol'
import { connectionTarget } from '../../shared/connection-uri'
import { BridgekeepError } from '../../shared/errors'
import { environmentsByConnection } from './environments-by-connection'
import { connectionForHost, HELPER_PROVIDERS } from './connection-for-host'
import { referenceFor, useConnection, type UseServices } from './use-connection'
import type { CallerTerminal, CommandMode } from '../services/references/command-reference'
import {
  fixedMfaCode,
  singleUseMfaCode,
  type MfaCodeSource,
} from '../services/issued-sessions/mfa-code'

type Operation<K extends VaultOp, S = VaultCore> = (
  services: S,
  request: Extract<VaultRequest, { op: K }>,
  /** Who asked, when it was a client of the agent; absent in-process. */
  caller?: AgentCaller,
  /**
   * Who gives an MFA code the request did not carry: the terminal in-process, the app's dialog
   * in the app's agent; absent in a headless agent, which answers MFA_CODE_REQUIRED instead.
   */
  askMfa?: MfaCodeSource,
  /**
   * Where a `command:` reference runs: on the terminal when the CLI runs the operation itself
   * with a person at it; through the agent, on the caller's terminal when the caller said it has
   * one (`commandsOnTerminal`); detached otherwise (the agent has no terminal). verify keeps it
   * detached: it checks several connections at once, under a spinner.
   */
  commandMode?: CommandMode | CallerTerminal,
) => Promise<AgentValue<K>>

/** A request's connection and environment; the reference may be a connection:// URI. */
function inEnvironment(ref: string, env: string): { ref: string; env: string } {
  const target = connectionTarget(ref, env)
  return { ref: target.ref, env: target.env ?? env }
}

/** The code the request carries, else whoever can be asked. */
function mfaFor(code: string | undefined, askMfa: MfaCodeSource | undefined) {
  if (code !== undefined) return { mfa: fixedMfaCode(code) }
  return askMfa ? { mfa: askMfa } : {}
}

/**
 * The part of each CLI command that reads the vault, as one function per operation, run by the
 * command in-process or by the agent (`bridgekeep agent`, or the app) for a client: the same service calls either way, so
 * resolution, authorization, audit entries and refusals are the same. The command prints what it
 * returns. Through the agent the audit entry of exec and credential-process also names the caller.
 * Given the app's runners (the agent's services), exec and credential-process get a remote
 * runner's credentials from it; verify is given them always (see routedRunner).
 * Every operation but verify (health checks) and team-use (team spaces) needs only the vault
 * core (see needsAllServices).
 */
export const vaultOperations: {
  [
    K in Exclude<
      VaultOp,
      'verify' | 'exec' | 'credential-process' | 'credential-helper' | 'team-use'
    >
  ]: Operation<K>
} & {
  exec: Operation<'exec', UseServices>
  'credential-helper': Operation<'credential-helper', UseServices>
  'credential-process': Operation<'credential-process', UseServices>
  verify: Operation<'verify', Services>
  'team-use': Operation<'team-use', Services>
} = {
  async exec(services, request, caller, askMfa, commandMode) {
    const { program, azureScope, mfaCode, asksMfaItself } = request
    const { ref, env } = inEnvironment(request.ref, request.env)
    const { provider, name, connectionId } = referenceFor(services, ref)
    const by = caller ? describeCaller(caller) : ''
    const used = await useConnection(services, {
      provider,
      ...(connectionId === undefined ? {} : { connectionId }),
      environment: env,
      ...(name === undefined ? {} : { name }),
      operation: 'exec',
      detail: `Ran ${program}${by}`,
      refusedDetail: `Refused to run ${program}${by}`,
      ...(azureScope === undefined ? {} : { azureScope }),
      ...mfaFor(mfaCode, askMfa),
      retriedWithMfaCode: asksMfaItself,
      callerEnv: request.callerEnv ?? {},
      ...(commandMode === undefined ? {} : { commandMode }),
    })
    return {
      credentials: used.credentials,
      connection: used.resolved.connection.slug,
      environment: used.resolved.environment.slug,
    }
  },

  async 'credential-process'(services, request, caller, askMfa, commandMode) {
    const { mfaCode } = request
    const { ref: name, env } = inEnvironment(request.name, request.env)
    const by = caller ? describeCaller(caller) : ''
    const used = await useConnection(services, {
      provider: 'aws',
      environment: env,
      name,
      operation: 'credential-process',
      detail: `AWS credential_process${by}`,
      refusedDetail: `Refused AWS credential_process${by}`,
      ...mfaFor(mfaCode, askMfa),
      callerEnv: request.callerEnv ?? {},
      ...(commandMode === undefined ? {} : { commandMode }),
    })
    const { secrets } = used.credentials
    if (!secrets.access_key_id || !secrets.secret_access_key) {
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `Connection ${used.resolved.connection.name} has no stored access keys to hand out (it uses the runner's own identity).`,
        'Use a connection with stored keys, or let the AWS CLI use its own credentials.',
      )
    }
    return {
      Version: 1,
      AccessKeyId: secrets.access_key_id,
      SecretAccessKey: secrets.secret_access_key,
      ...(secrets.session_token ? { SessionToken: secrets.session_token } : {}),
      ...(used.issued.expiresAt ? { Expiration: used.issued.expiresAt } : {}),
    }
  },

  async 'credential-helper'(
    services,
    { tool, env, ref, host, callerEnv },
    caller,
    askMfa,
    commandMode,
  ) {
    if (ref === undefined && host === undefined)
      throw new BridgekeepError(
        'VALIDATION',
        `The ${tool} credential helper needs a connection or a host.`,
      )
    // A host (git, docker) chooses the connection, which must serve it even when named.
    const target =
      host === undefined
        ? referenceFor(services, ref!)
        : connectionForHost(services, tool, host, env, ref)
    if (!HELPER_PROVIDERS[tool].includes(target.provider))
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `${ref ?? target.provider} is a ${target.provider} connection, which gives ${tool} no credentials.`,
        `Name a ${HELPER_PROVIDERS[tool].join(', ')} connection.`,
      )
    const by = caller ? describeCaller(caller) : ''
    const what = `${tool} credential helper${host === undefined ? '' : ` for ${host}`}`
    const used = await useConnection(services, {
      ...target,
      environment: env,
      operation: 'credential-helper',
      detail: `${what}${by}`,
      refusedDetail: `Refused ${what}${by}`,
      ...mfaFor(undefined, askMfa),
      callerEnv: callerEnv ?? {},
      ...(commandMode === undefined ? {} : { commandMode }),
    })
    return {
      credentials: used.credentials,
      connection: used.resolved.connection.slug,
      environment: used.resolved.environment.slug,
    }
  },

  async ls(services, { provider, env, labels }) {
    const wanted = provider?.trim().toLowerCase()
    const lowered = labels.map((label) => label.trim().toLowerCase())
    const envName = env === undefined ? undefined : services.environments.findByRef(env).name
    const environments = environmentsByConnection(services)
    return services.connections
      .list()
      .map((connection) => ({ ...connection, environments: environments.get(connection.id) ?? [] }))
      .filter((row) => wanted === undefined || row.provider === wanted)
      .filter((row) => envName === undefined || row.environments.includes(envName))
      .filter((row) => lowered.every((label) => row.labels.some((l) => l.toLowerCase() === label)))
  },

  async show(services, request) {
    const { ref, env } = connectionTarget(request.ref, undefined)
    // A URI's environment is checked, so a mistyped one is not silently ignored.
    if (env !== undefined) services.environments.findByRef(env)
    const summary = services.connections.findByRef(ref)
    const detail = services.connections.get(summary.id)
    const authorized = new Set(services.authorizations.authorizationsFor(detail.id).environmentIds)
    const environments = services.environments
      .list()
      .filter((env) => authorized.has(env.id))
      .map((env) => ({ id: env.id, name: env.name, slug: env.slug, protected: env.protected }))
    return { detail, environments, usage: services.usage.usageFor(detail.id) }
  },

  async verify(services, { refs, env, mfaCode, callerEnv }) {
    // Each reference may be a URI carrying its own environment; the others use --env, if any.
    const named = refs.map((ref) => connectionTarget(ref, env))
    const given = env === undefined ? undefined : services.environments.findByRef(env)
    const environmentOf = (ref: string | undefined) =>
      ref === undefined || ref === env ? given : services.environments.findByRef(ref)
    const connections = refs.length
      ? services.connections.findManyByRef(named.map((target) => target.ref))
      : services.connections.list()
    const targets = connections.map((connection, index) => ({
      connection,
      environment: refs.length ? environmentOf(named[index]!.env) : given,
    }))
    const [{ inProcessRunner }, { routedRunner }] = await Promise.all([
      import('../runner-host/in-process-runner'),
      import('../runner-host/named-runner'),
    ])
    // A connection naming a remote runner is checked by that runner, through the app.
    const health = services.healthServiceUsing(
      routedRunner(await inProcessRunner(), services.runner),
    )
    // Only a code the request carries: neither the terminal (under the spinner, checks in
    // parallel) nor the app's window is asked; without one a role behind MFA is not assumed.
    const askMfa = mfaCode === undefined ? undefined : singleUseMfaCode(mfaCode)
    const results: AgentValue<'verify'> = []
    // A few at a time, like the app's Verify all: enough to hide network latency.
    const queue = [...targets.entries()]
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [index, { connection, environment }] = next
        const row = { name: connection.name, provider: connection.provider }
        try {
          results[index] = {
            ...row,
            health: await health.verify(
              {
                connectionId: connection.id,
                ...(environment ? { environmentId: environment.id } : {}),
              },
              { callerEnv: callerEnv ?? {}, ...(askMfa ? { askMfa } : {}) },
            ),
          }
        } catch (error) {
          const { message, hint } = error as { message: string; hint?: string }
          results[index] = { ...row, refused: hint ? `${message} ${hint}` : message }
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(8, targets.length) }, worker))
    return results
  },

  async 'env-ls'(services) {
    return services.environments.list()
  },

  async 'team-use'(services, { team, ref, env }, caller) {
    // Audited by the service as team.use (and in the team's audit when online), naming the caller.
    const by = caller ? describeCaller(caller).trim() : undefined
    const opened = await services.teamConnections.open(team, ref, env, by)
    const { connection } = opened
    return {
      credentials: {
        provider: connection.provider,
        authMode: connection.authMode,
        config: connection.fields,
        secrets: opened.secrets,
      },
      connection: connection.name,
      environment: opened.environment,
      offline: opened.offline,
    }
  },
}

/**
 * Whether an operation needs all the services rather than the vault core: verify's health
 * checks, and team-use's team spaces.
 */
export function needsAllServices(op: VaultOp): op is 'verify' | 'team-use' {
  return op === 'verify' || op === 'team-use'
}
