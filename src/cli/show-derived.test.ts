import { describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { serviceAccountKey } from '../../test/fixtures/provider-values'
import { credentialsEnv } from './exec/credentials-env'

// GCP's project id: "required or derived from the key and shown". Left empty, the key's own
// project_id is the connection's project: shown "(from the key)" by show and show --json (the
// `derived` map), and given to tools by exec; a key without one needs the field.
describe.skipIf(!privateKeyring)('a project taken from the service account key', SLOW, () => {
  it('is shown by show and show --json, used by exec, and never taken over a given Project ID', async () => {
    const vault = await cliVault()
    const key = serviceAccountKey({ project_id: 'acme-from-key' })
    vault.services.connections.create({
      name: 'GCP from key',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: key },
    })
    vault.services.connections.create({
      name: 'GCP given',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: key, project_id: 'acme-given' },
    })

    const shown = await vault.cli(['show', 'gcp-from-key'])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(/Project ID\s+acme-from-key \(from the key\)\n/)
    const json = JSON.parse((await vault.cli(['show', 'gcp-from-key', '--json'])).stdout)
    expect(json.derived).toEqual({ project_id: 'acme-from-key' })
    expect(json.config).not.toHaveProperty('project_id')

    const given = await vault.cli(['show', 'gcp-given'])
    expect(given.stdout).toMatch(/Project ID\s+acme-given\n/)
    expect(given.stdout).not.toContain('from the key')
    expect(
      JSON.parse((await vault.cli(['show', 'gcp-given', '--json'])).stdout),
    ).not.toHaveProperty('derived')
  })
})

describe('exec with a project from the key', () => {
  it('sets the project variables from the key, and from the field when given', async () => {
    const key = serviceAccountKey({ project_id: 'acme-from-key' })
    const fromKey = await credentialsEnv({
      provider: 'gcp',
      authMode: 'inline',
      config: {},
      secrets: { service_account_key: key },
    })
    expect(fromKey.set).toMatchObject({
      CLOUDSDK_CORE_PROJECT: 'acme-from-key',
      GOOGLE_CLOUD_PROJECT: 'acme-from-key',
    })
    const given = await credentialsEnv({
      provider: 'gcp',
      authMode: 'inline',
      config: { project_id: 'acme-given' },
      secrets: { service_account_key: key },
    })
    expect(given.set.GOOGLE_CLOUD_PROJECT).toBe('acme-given')
  })
})
