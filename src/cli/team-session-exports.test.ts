import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { teamSessionExports } from '../shared/team-connections'

describe('teamSessionExports', () => {
  it('gives export lines a real shell reads back exactly, quotes and spaces included', () => {
    const session = {
      accessKeyId: 'ASIAEXAMPLE000000031',
      secretAccessKey: 'it\'s a $secret `with` "quotes" and spaces',
      sessionToken: 'token/with+slashes==',
      expiration: '2026-12-07T12:15:00.000Z',
      runner: 'Ada',
    }
    const script = `${teamSessionExports(session).join('\n')}
printf '%s\\n%s\\n%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`
    const read = execFileSync('sh', ['-c', script], { encoding: 'utf8', env: {} })
    expect(read.split('\n')).toEqual([
      session.accessKeyId,
      session.secretAccessKey,
      session.sessionToken,
    ])
  })
})
