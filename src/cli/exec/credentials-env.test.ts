import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { providers, validateConnectionValues } from '../../shared/providers'
import { exampleValues } from '../../../test/catalog-values'
import { credentialsEnv } from './credentials-env'
import { AWS_KEYS, inline, SA_KEY } from './providers/test-support'

// Each provider's own mapping is tested beside it (providers/*.test.ts); this checks them all
// against the catalog.

describe('credentialsEnv', () => {
  /** Secrets no tool has a standard variable for: S3-compatible storage keys of non-AWS clouds. */
  const UNMAPPED = new Set([
    'civo.object_store_access_key_id',
    'civo.object_store_secret_key',
    'cloudflare.r2_access_key_id',
    'cloudflare.r2_secret_access_key',
  ])

  describe.each(
    providers.flatMap((p) =>
      p.authModes
        // Exec refuses runner-delegated Kubernetes (providers/kubernetes.test.ts).
        .filter(
          (m) => m !== 'cross-account' && !(p.id === 'kubernetes' && m === 'runner-delegated'),
        )
        .map((m) => [p.id, m] as const),
    ),
  )('every catalog provider: %s (%s)', (providerId, authMode) => {
    it('maps the catalog example, handing every stored secret to the tool', async () => {
      const provider = providers.find((p) => p.id === providerId)!
      const validated = validateConnectionValues(
        providerId,
        authMode,
        exampleValues(provider, authMode),
      )
      if (!validated.ok) throw new Error(JSON.stringify(validated.issues))
      const lender = {
        aws_connection: inline('aws', { default_region: 'us-east-1' }, AWS_KEYS),
        gcp_connection: inline('gcp', {}, { service_account_key: SA_KEY }),
      }
      const plan = await credentialsEnv({
        provider: providerId,
        authMode,
        config: validated.config,
        secrets: validated.secrets,
        linked: lender,
      })
      expect(Object.keys(plan.set).length + plan.files.length).toBeGreaterThan(0)
      // Docker's auth entries hold base64 of user:secret; kubeconfigs are re-serialised.
      const dockerAuths = plan.files
        .filter((f) => f.path === 'docker/config.json')
        .flatMap((f) =>
          Object.values(
            (JSON.parse(f.content) as { auths?: Record<string, { auth: string }> }).auths ?? {},
          ),
        )
        .map((entry) => Buffer.from(entry.auth, 'base64').toString('utf8'))
      const kubeconfig = plan.files.find((f) => f.path === 'kubeconfig')
      // git's extra header holds base64 of user:token.
      const basicAuths = Object.values(plan.set)
        .map((value) => /^Authorization: Basic ([A-Za-z0-9+/=]+)$/.exec(value)?.[1])
        .filter((encoded) => encoded !== undefined)
        .map((encoded) => Buffer.from(encoded, 'base64').toString('utf8'))
      const everything = [
        ...Object.values(plan.set),
        ...plan.files.map((f) => f.content),
        ...dockerAuths,
        ...basicAuths,
      ].join('\n')
      for (const [field, value] of Object.entries(validated.secrets)) {
        if (UNMAPPED.has(`${providerId}.${field}`)) continue
        if (field === 'kubeconfig') {
          const original = parseYaml(value) as Record<string, unknown>
          expect(parseYaml(kubeconfig!.content)).toMatchObject({
            clusters: original.clusters,
            users: original.users,
          })
          continue
        }
        expect(everything.includes(value), `${providerId}.${field}`).toBe(true)
      }
      for (const name of Object.keys(plan.set)) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/)
      for (const file of plan.files) expect(file.path).not.toMatch(/^\/|\.\./)
    })
  })
})
