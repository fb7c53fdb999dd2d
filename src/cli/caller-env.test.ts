import { describe, expect, it } from 'vitest'
import { agentRequestSchema } from '../shared/agent-protocol'
import { AGENT_PROTOCOL_VERSION, CALLER_ENV_MAX_BYTES } from '../shared/agent-answers'
import { callerEnvironment } from './caller-env'
import { SECRET_VARIABLES } from './secret-variables'

describe('the environment the CLI sends the agent with a use', () => {
  it("leaves out Bridgekeep's secret variables and names env: references cannot take", () => {
    const sent = callerEnvironment({
      DB_PASSWORD: 'x',
      PATH: '/usr/bin',
      'NOT-A-NAME': 'y',
      '1ST': 'z',
      UNSET: undefined,
      ...Object.fromEntries(Object.values(SECRET_VARIABLES).map((name) => [name, 'unlocks'])),
    })
    expect(sent).toEqual({ DB_PASSWORD: 'x', PATH: '/usr/bin' })
  })

  it('stays under its cap, leaving out the biggest first, and the agent accepts what is sent', () => {
    const env: Record<string, string> = { SMALL: 'kept' }
    for (let i = 0; i < 10; i++) env[`BIG_${i}`] = String(i).repeat(30_000)
    env.TOO_BIG = 'x'.repeat(70_000)
    const sent = callerEnvironment(env)
    expect(sent.SMALL).toBe('kept')
    expect(sent.TOO_BIG).toBeUndefined()
    expect(JSON.stringify(sent).length).toBeLessThanOrEqual(CALLER_ENV_MAX_BYTES + 2)
    expect(Object.keys(sent).filter((k) => k.startsWith('BIG_')).length).toBe(4)
    const request = {
      v: AGENT_PROTOCOL_VERSION,
      dataDir: '/tmp/x',
      token: 't',
      caller: { pid: 1, program: 'bridgekeep' },
      request: { op: 'exec', ref: 'ci', env: 'staging', program: 'node', callerEnv: sent },
    }
    expect(agentRequestSchema.safeParse(request).success).toBe(true)
    const malformed = { ...request, request: { ...request.request, callerEnv: { 'A-B': 'x' } } }
    expect(agentRequestSchema.safeParse(malformed).success).toBe(false)
  })
})
