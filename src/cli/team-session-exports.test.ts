import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { teamSessionExports, type TeamSessionView } from '../shared/team-connections'

/** Runs the export lines in a real shell with an empty environment; returns what it then holds. */
function exported(session: TeamSessionView, names: string[]): string[] {
  const script = `${teamSessionExports(session).join('\n')}
printf '%s\\n' ${names.map((name) => `"$${name}"`).join(' ')}`
  return execFileSync('sh', ['-c', script], { encoding: 'utf8', env: {} }).split('\n').slice(0, -1)
}

describe('teamSessionExports', () => {
  it('gives export lines a real shell reads back exactly, quotes and spaces included', () => {
    const session = {
      kind: 'aws-session' as const,
      accessKeyId: 'ASIAEXAMPLE000000031',
      secretAccessKey: 'it\'s a $secret `with` "quotes" and spaces',
      sessionToken: 'token/with+slashes==',
      expiration: '2026-12-07T12:15:00.000Z',
      runner: 'Ada',
    }
    expect(
      exported(session, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']),
    ).toEqual([session.accessKeyId, session.secretAccessKey, session.sessionToken])
  })

  it('gives a GCP token to gcloud and Terraform, with the project, as exec does', () => {
    const token = "ya29.a0'AfH6$SMB`x"
    const session = {
      kind: 'gcp-access-token' as const,
      token,
      expiresAt: '2026-12-07T13:00:00.000Z',
      runner: 'Ada',
      settings: { project_id: 'acme-platform-prod' },
    }
    const names = [
      'CLOUDSDK_AUTH_ACCESS_TOKEN',
      'GOOGLE_OAUTH_ACCESS_TOKEN',
      'CLOUDSDK_CORE_PROJECT',
      'GOOGLE_CLOUD_PROJECT',
    ]
    expect(exported(session, names)).toEqual([
      token,
      token,
      'acme-platform-prod',
      'acme-platform-prod',
    ])
    expect(teamSessionExports(session).join('\n')).not.toContain('AWS_')
  })

  it('gives an Azure token with its tenant, subscription and cloud (AZURE_* and ARM_*), as exec does', () => {
    const session = {
      kind: 'azure-access-token' as const,
      token: 'eyJ0eXAiOiJKV1Qi.eyJhdWQiOi.sig',
      expiresAt: '2026-12-07T13:00:00.000Z',
      runner: 'Ada',
      settings: { tenant_id: 'tenant-1', subscription_id: 'sub-1', cloud: 'usgovernment' },
    }
    const names = [
      'AZURE_ACCESS_TOKEN',
      'AZURE_TENANT_ID',
      'ARM_TENANT_ID',
      'AZURE_SUBSCRIPTION_ID',
      'ARM_SUBSCRIPTION_ID',
      'AZURE_AUTHORITY_HOST',
      'ARM_ENVIRONMENT',
    ]
    expect(exported(session, names)).toEqual([
      session.token,
      'tenant-1',
      'tenant-1',
      'sub-1',
      'sub-1',
      'https://login.microsoftonline.us',
      'usgovernment',
    ])
    expect(teamSessionExports(session).join('\n')).not.toMatch(/CLIENT_(ID|SECRET)/)
  })
})
