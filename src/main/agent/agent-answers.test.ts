import { safeParse } from 'zod/mini'
import { describe, expect, it } from 'vitest'
import { connectionInput, unlockedServices } from '../../../test/services'
import {
  AGENT_PROTOCOL_VERSION,
  agentResponseSchema,
  agentValueSchema,
  type AgentResponse,
} from '../../shared/agent-answers'
import type { AgentRequestBody } from '../../shared/agent-protocol'
import { errorCodes } from '../../shared/errors'
import { vaultOperations } from './vault-operations'

// The agent builds its answers from vault-operations.ts, typed but not parsed; the client checks
// them with agent-answers.ts (zod/mini). These run the agent's real operations over a real vault
// and hold the client's schemas to them, both ways: what the agent sends is accepted, and what
// it must never send is refused.

const accepts = async (op: AgentRequestBody['op'], value: unknown) =>
  safeParse(await agentValueSchema(op), value).success

async function vaultWithAws() {
  const { services } = await unlockedServices()
  const aws = services.connections.create({
    ...connectionInput('aws', 'prod-aws'),
    values: {
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      default_region: 'eu-west-1',
    },
  })
  const state = services.connections.create({
    ...connectionInput('s3-state', 'tf-state'),
    values: { ...connectionInput('s3-state', 'tf-state').values, aws_connection: aws.slug },
  })
  const staging = services.environments.list().find((env) => env.name === 'staging')!
  services.authorizations.applyChanges({
    grants: [aws, state].map((c) => ({ connectionId: c.id, environmentId: staging.id })),
  })
  return services
}

describe('the answers the agent sends and the client accepts', () => {
  it('accepts exec (with borrowed credentials) and credential-process as the agent makes them', async () => {
    const services = await vaultWithAws()
    const exec = await vaultOperations.exec(services, {
      op: 'exec',
      ref: 'tf-state',
      env: 'staging',
      program: 'terraform',
    })
    expect(Object.keys(exec.credentials.linked ?? {})).toEqual(['aws_connection'])
    expect(await accepts('exec', exec)).toBe(true)
    const credentials = await vaultOperations['credential-process'](services, {
      op: 'credential-process',
      name: 'prod-aws',
      env: 'staging',
    })
    expect(await accepts('credential-process', credentials)).toBe(true)
    expect(await accepts('credential-process', { ...credentials, SessionToken: 't' })).toBe(true)
    services.vault.close()
  })

  it('refuses what the agent must not send: extra keys, wrong types, another version', async () => {
    const services = await vaultWithAws()
    const exec = await vaultOperations.exec(services, {
      op: 'exec',
      ref: 'prod-aws',
      env: 'staging',
      program: 'aws',
    })
    services.vault.close()
    const credentials = exec.credentials
    expect(await accepts('exec', { ...exec, credentials: { ...credentials, extra: 'x' } })).toBe(
      false,
    )
    expect(
      await accepts('exec', {
        ...exec,
        credentials: { ...credentials, linked: { aws_connection: { ...credentials, extra: 1 } } },
      }),
    ).toBe(false)
    expect(
      await accepts('exec', { ...exec, credentials: { ...credentials, secrets: { key: 1 } } }),
    ).toBe(false)
    expect(await accepts('exec', { credentials, connection: 'prod-aws' })).toBe(false)
    const process = { Version: 1, AccessKeyId: 'a', SecretAccessKey: 'b' }
    expect(await accepts('credential-process', { ...process, Version: 2 })).toBe(false)
    expect(await accepts('credential-process', { ...process, Token: 't' })).toBe(false)
    expect(await accepts('credential-process', { Version: 1, AccessKeyId: 'a' })).toBe(false)
  })

  it('accepts the agent’s status and refuses a bad pid or vault state', async () => {
    const status = {
      pid: 1234,
      dataDir: '/d',
      socket: '/d/agent/agent.sock',
      vault: 'unlocked',
      version: '1.0.0',
    }
    for (const vault of ['unlocked', 'locked', 'missing'])
      expect(await accepts('status', { ...status, vault })).toBe(true)
    expect(await accepts('lock', status)).toBe(true)
    expect(await accepts('status', { ...status, vault: 'open' })).toBe(false)
    expect(await accepts('status', { ...status, pid: 0 })).toBe(false)
    expect(await accepts('status', { ...status, pid: 1.5 })).toBe(false)
  })

  it('accepts every error the agent can send, and refuses an unknown code or another version', () => {
    for (const code of errorCodes) {
      const failure: AgentResponse = {
        v: AGENT_PROTOCOL_VERSION,
        ok: false,
        error: { code, message: 'm', hint: 'h' },
      }
      expect(safeParse(agentResponseSchema, failure).success).toBe(true)
    }
    const ok = { v: AGENT_PROTOCOL_VERSION, ok: true, value: null }
    expect(safeParse(agentResponseSchema, ok).success).toBe(true)
    expect(safeParse(agentResponseSchema, { ...ok, v: AGENT_PROTOCOL_VERSION + 1 }).success).toBe(
      false,
    )
    const unknown = { v: AGENT_PROTOCOL_VERSION, ok: false, error: { code: 'NOPE', message: 'm' } }
    expect(safeParse(agentResponseSchema, unknown).success).toBe(false)
    expect(safeParse(agentResponseSchema, { v: AGENT_PROTOCOL_VERSION, ok: 'yes' }).success).toBe(
      false,
    )
  })
})
