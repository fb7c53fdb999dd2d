import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isBridgekeepError } from '../../shared/errors'
import { memoryLogger } from '../log'
import { createAgentToken, tokenMatches } from './agent-token'
import { agentTokenPath, readAgentToken } from './agent-token-file'
import { claimSocket } from './claim-socket'
import { agentSocketPath, isNamedPipe } from './socket-path'

const folder = () => mkdtempSync(join(tmpdir(), 'bk-claim-'))

describe('claiming the agent’s socket', () => {
  const servers: Server[] = []
  afterEach(() => {
    for (const server of servers.splice(0)) server.close()
  })

  it('of many starters at once over a killed agent’s file, exactly one listens', async () => {
    for (let round = 0; round < 10; round++) {
      const socketPath = join(folder(), 'agent.sock')
      // The file a killed agent leaves (a plain file nobody answers on stands for it).
      writeFileSync(socketPath, '')
      const claims = Array.from({ length: 6 }, () => {
        const server = createServer((socket) => socket.destroy())
        servers.push(server)
        return claimSocket(server, socketPath, memoryLogger())
      })
      const outcomes = await Promise.allSettled(claims)
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled')
      expect(won).toHaveLength(1)
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(isBridgekeepError(outcome.reason) && outcome.reason.code).toBe('CONFLICT')
          expect((outcome.reason as Error).message).toContain(`already running on ${socketPath}`)
        }
      }
      expect(statSync(socketPath).isSocket()).toBe(true)
      for (const server of servers.splice(0)) server.close()
    }
  })
})

describe('the agent’s token', () => {
  it('is 0600 in the data folder, matched in constant time, and removed only while it is ours', () => {
    const dataDir = join(folder(), 'data')
    const first = createAgentToken(dataDir)
    expect(readAgentToken(dataDir)).toBeUndefined() // staged, not yet named
    first.publish()
    expect(statSync(agentTokenPath(dataDir)).mode & 0o777).toBe(0o600)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    const text = readAgentToken(dataDir)!
    expect(text).toMatch(/^[0-9a-f]{64}$/)
    expect(tokenMatches(first.bytes, text)).toBe(true)
    for (const wrong of [undefined, '', 42, text.slice(1), `${text}0`, text.replace(/.$/, 'x')])
      expect(tokenMatches(first.bytes, wrong)).toBe(false)

    // A successor's token is not the first one's to remove.
    const second = createAgentToken(dataDir)
    second.publish()
    first.remove()
    expect(readFileSync(agentTokenPath(dataDir))).toEqual(second.bytes)
    second.remove()
    expect(readAgentToken(dataDir)).toBeUndefined()
  })
})

describe('the agent on Windows', () => {
  const windows = (env: Record<string, string>, user = 'alice') =>
    agentSocketPath(env, 'win32', () => user)

  it('is a named pipe per data folder and user', () => {
    const pipe = windows({ APPDATA: 'C:\\Users\\alice\\AppData\\Roaming' })
    expect(pipe).toMatch(/^\\\\\.\\pipe\\bridgekeep-[0-9a-f]{16}-alice$/)
    expect(isNamedPipe(pipe)).toBe(true)
    expect(windows({ APPDATA: 'C:\\Users\\alice\\AppData\\Roaming' })).toBe(pipe)
    expect(windows({ BRIDGEKEEP_HOME: 'D:\\vaults\\work' })).not.toBe(pipe)
    expect(windows({ APPDATA: 'C:\\Users\\alice\\AppData\\Roaming' }, 'bob')).not.toBe(pipe)
    // A name that is not a plain word cannot break out of the pipe's name.
    expect(windows({ BRIDGEKEEP_HOME: 'D:\\v' }, 'CORP\\j doe')).toMatch(/-CORP_j_doe$/)
    // XDG_RUNTIME_DIR means nothing there.
    expect(
      windows({ BRIDGEKEEP_HOME: 'D:\\v', XDG_RUNTIME_DIR: '/run/user/1' }).startsWith(
        '\\\\.\\pipe\\',
      ),
    ).toBe(true)
    expect(isNamedPipe(agentSocketPath({ BRIDGEKEEP_HOME: '/v' }, 'linux'))).toBe(false)
  })
})
