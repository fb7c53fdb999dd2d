import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { credentialsEnv } from '../credentials-env'
import { inline, resolved } from './test-support'

describe('credentialsEnv: kubernetes -> KUBECONFIG', () => {
  it('kubernetes: a KUBECONFIG file, built from a token or the stored one with context and namespace', async () => {
    const token = resolved(
      await credentialsEnv(
        inline(
          'kubernetes',
          {
            source: 'token',
            server: 'https://k8s.example.com:6443',
            ca_certificate: 'PEM',
            namespace: 'platform',
            insecure_skip_tls_verify: 'false',
          },
          { token: 'BEARER' },
        ),
      ),
    )
    expect(token.set).toEqual({ KUBECONFIG: '/T/kubeconfig' })
    expect(parseYaml(token.files.kubeconfig!)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'bridgekeep',
          cluster: {
            server: 'https://k8s.example.com:6443',
            'certificate-authority-data': Buffer.from('PEM').toString('base64'),
          },
        },
      ],
      users: [{ name: 'bridgekeep', user: { token: 'BEARER' } }],
      contexts: [
        {
          name: 'bridgekeep',
          context: { cluster: 'bridgekeep', user: 'bridgekeep', namespace: 'platform' },
        },
      ],
      'current-context': 'bridgekeep',
    })
    const stored = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: a',
      'clusters: [{ name: c, cluster: { server: "https://x" } }]',
      'users: [{ name: u, user: { token: t } }]',
      'contexts:',
      '  - { name: a, context: { cluster: c, user: u } }',
      '  - { name: b, context: { cluster: c, user: u } }',
    ].join('\n')
    const chosen = parseYaml(
      (
        await credentialsEnv(
          inline(
            'kubernetes',
            { source: 'kubeconfig', context: 'b', namespace: 'ns' },
            { kubeconfig: stored },
          ),
        )
      ).files[0]!.content,
    )
    expect(chosen['current-context']).toBe('b')
    expect(chosen.contexts[1].context).toEqual({ cluster: 'c', user: 'u', namespace: 'ns' })
    expect(chosen.contexts[0].context).toEqual({ cluster: 'c', user: 'u' })
  })

  it("refuses a runner-delegated connection: its credentials stay on the runner's machine", async () => {
    await expect(
      credentialsEnv({
        provider: 'kubernetes',
        authMode: 'runner-delegated',
        config: { runner_source: 'in-cluster', runner: 'pod-eu' },
        secrets: {},
      }),
    ).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringContaining("stay on the runner's machine"),
      hint: expect.stringContaining('stored kubeconfig or token'),
    })
  })
})
