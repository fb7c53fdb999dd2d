import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runnerKubeAccess } from './kubernetes-runner-access'

const saved = process.env.KUBECONFIG
afterEach(() => {
  if (saved === undefined) delete process.env.KUBECONFIG
  else process.env.KUBECONFIG = saved
})

const config = (lines: string[]) => ['apiVersion: v1', 'kind: Config', ...lines].join('\n')

describe("the runner's kubeconfig (KUBECONFIG merged as kubectl merges it)", () => {
  it('takes each name from the first file defining it, with file paths relative to that file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bk-kubeconfig-'))
    mkdirSync(join(dir, 'b'))
    writeFileSync(join(dir, 'b', 'token'), 'token-from-b\n')
    writeFileSync(
      join(dir, 'a.yaml'),
      config([
        'contexts: [{ name: ci, context: { cluster: shared, user: robot, namespace: first } }]',
      ]),
    )
    writeFileSync(
      join(dir, 'b', 'b.yaml'),
      config([
        'clusters: [{ name: shared, cluster: { server: "https://k8s.example.com:6443/" } }]',
        'users: [{ name: robot, user: { tokenFile: token } }]',
        'contexts: [{ name: ci, context: { cluster: shared, user: robot, namespace: second } }]',
      ]),
    )
    process.env.KUBECONFIG = [
      join(dir, 'a.yaml'),
      join(dir, 'missing.yaml'),
      join(dir, 'b', 'b.yaml'),
    ].join(delimiter)
    expect(runnerKubeAccess({ runner_source: 'kubeconfig-context', runner_context: 'ci' })).toEqual(
      {
        server: 'https://k8s.example.com:6443',
        insecureSkipTlsVerify: false,
        namespace: 'first',
        token: 'token-from-b',
      },
    )
  })

  it('names the file or setting that is wrong, never its contents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bk-kubeconfig-'))
    process.env.KUBECONFIG = join(dir, 'none')
    expect(() =>
      runnerKubeAccess({ runner_source: 'kubeconfig-context', runner_context: 'ci' }),
    ).toThrow(/has no kubeconfig/)
    const secret = 'S3CRET-not-yaml: [unclosed'
    writeFileSync(join(dir, 'none'), secret)
    expect(() =>
      runnerKubeAccess({ runner_source: 'kubeconfig-context', runner_context: 'ci' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('S3CRET') }))
    writeFileSync(
      join(dir, 'none'),
      config([
        'clusters: [{ name: c, cluster: { server: "https://k8s.example.com" } }]',
        'users: [{ name: u, user: { client-certificate: gone.crt, client-key: gone.key } }]',
        'contexts: [{ name: ci, context: { cluster: c, user: u } }]',
      ]),
    )
    expect(() =>
      runnerKubeAccess({ runner_source: 'kubeconfig-context', runner_context: 'ci' }),
    ).toThrow(
      /could not read the file its kubeconfig's client-certificate names at .*gone\.crt \(ENOENT\)/,
    )
  })
})
