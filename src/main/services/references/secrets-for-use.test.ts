import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseReferenceText } from '../../../shared/secret-reference'
import { canary } from '../../../../test/fixtures/canary'
import { environmentIds, unlockedServices } from '../../../../test/services'
import type { Services } from '..'
import { secretsForUse } from './secrets-for-use'

const ghToken = () => `ghp_${canary.alnum(36)}`

/** A GitHub connection whose token is `ref`, authorized for staging. */
function referencedGitHub(services: Services, ref: string, name = 'ci-github') {
  const created = services.connections.create({
    name,
    provider: 'github',
    authMode: 'inline',
    values: {},
    references: { token: parseReferenceText(ref) },
  })
  services.authorizations.applyChanges({
    grants: [{ connectionId: created.id, environmentId: environmentIds(services).staging! }],
  })
  return created
}

const staging = (services: Services) => {
  const env = services.environments.findByRef('staging')
  return { id: env.id, name: env.name, slug: env.slug }
}

/** Everything a value could leak into: the trail, the logs, the vault file and its WAL. */
function everywhere(services: Services, log: { lines: unknown[] }, errors: unknown[]): string {
  const files = [services.vault.path, `${services.vault.path}-wal`].map((file) => {
    try {
      return readFileSync(file).toString('latin1')
    } catch {
      return ''
    }
  })
  return [
    JSON.stringify(services.audit.query({ limit: 1000 })),
    JSON.stringify(log.lines),
    ...errors.map((e) =>
      JSON.stringify({ message: (e as Error).message, hint: (e as { hint?: string }).hint }),
    ),
    ...files,
  ].join('\n')
}

describe('secretsForUse: references read at the moment of use', () => {
  it('reads each kind, validated by the field, audited without the value, stored nowhere', async () => {
    const { services, log, dataDir } = await unlockedServices()
    const fromEnv = ghToken()
    const fromFile = ghToken()
    const fromCommand = ghToken()
    writeFileSync(`${dataDir}/gh-token`, `${fromFile}\n`)
    writeFileSync(`${dataDir}/printed`, `${fromCommand}\n`)
    const byEnv = referencedGitHub(services, 'env:GH_TOKEN', 'by-env')
    const byFile = referencedGitHub(services, `file:${dataDir}/gh-token`, 'by-file')
    const byCommand = referencedGitHub(services, `command:cat ${dataDir}/printed`, 'by-command')
    const use = { environment: staging(services), env: { GH_TOKEN: `  ${fromEnv}\n` } }
    expect(await secretsForUse(services, byEnv.id, use)).toEqual({
      version: 1,
      secrets: { token: fromEnv },
    })
    expect((await secretsForUse(services, byFile.id, use)).secrets).toEqual({ token: fromFile })
    expect((await secretsForUse(services, byCommand.id, use)).secrets).toEqual({
      token: fromCommand,
    })
    const entries = services.audit.query({
      filter: { actions: ['connection.reference-resolved'] },
    }).entries
    expect(entries.map((e) => [e.targetName, e.environmentName, e.outcome, e.detail])).toEqual([
      [
        'by-command',
        'staging',
        'success',
        `Personal access token from command:cat ${dataDir}/printed`,
      ],
      ['by-file', 'staging', 'success', `Personal access token from file:${dataDir}/gh-token`],
      ['by-env', 'staging', 'success', 'Personal access token from env:GH_TOKEN'],
    ])
    const text = everywhere(services, log, [])
    for (const value of [fromEnv, fromFile, fromCommand]) expect(text).not.toContain(value)
  })

  it('a failing lookup fails the use: it names the connection, the field, the reference and why', async () => {
    const { services, log } = await unlockedServices()
    const notValid = `not-a-token-${canary.alnum(20)}`
    const byEnv = referencedGitHub(services, 'env:GH_TOKEN')
    const errors: unknown[] = []
    const fails = async (env: Record<string, string>) => {
      const error = await secretsForUse(services, byEnv.id, { environment: staging(services), env })
        .then(() => undefined)
        .catch((e: unknown) => e)
      errors.push(error)
      return error as { code: string; message: string; hint: string }
    }
    expect(await fails({})).toMatchObject({
      code: 'OPERATION_FAILED',
      message:
        'Connection "ci-github": Personal access token could not be read from env:GH_TOKEN: the variable GH_TOKEN is not set.',
      hint: "Set GH_TOKEN in the environment you run the command from, or edit the connection's reference.",
    })
    // A value the field's schema refuses: said so, without repeating the value.
    const invalid = await fails({ GH_TOKEN: notValid })
    expect(invalid.message).toMatch(
      /^Connection "ci-github": Personal access token could not be read from env:GH_TOKEN: the value it gave is not a valid Personal access token \(Personal access token: .+\)\.$/,
    )
    expect(
      services.audit
        .query({ filter: { actions: ['connection.reference-resolved'] } })
        .entries.map((e) => [e.outcome, e.detail]),
    ).toEqual([
      [
        'failure',
        expect.stringMatching(
          /^Personal access token from env:GH_TOKEN: the value it gave is not a valid/,
        ),
      ],
      ['failure', 'Personal access token from env:GH_TOKEN: the variable GH_TOKEN is not set'],
    ])
    expect(everywhere(services, log, errors)).not.toContain(notValid)
  })

  it('a command that fails is named with its exit status and the first line it wrote on stderr', async () => {
    const { services } = await unlockedServices()
    const script = 'console.error("op: not signed in"); process.exit(3)'
    const created = referencedGitHub(
      services,
      `command:${JSON.stringify([process.execPath, '-e', script])}`,
    )
    await expect(
      secretsForUse(services, created.id, { environment: staging(services), env: {} }),
    ).rejects.toThrow(
      `Personal access token could not be read from command:${JSON.stringify([process.execPath, '-e', script])}: the command ${process.execPath} exited with status 3: op: not signed in.`,
    )
    // The trail keeps the reason, not what the program said.
    const [entry] = services.audit.query({
      filter: { actions: ['connection.reference-resolved'] },
    }).entries
    expect(entry!.detail).toMatch(/exited with status 3$/)
  })

  it('Kubernetes references go to their own reader (not in this build: said so)', async () => {
    const { services } = await unlockedServices()
    const created = referencedGitHub(services, 'secret:prod-k8s/ci/github/token')
    await expect(
      secretsForUse(services, created.id, { environment: staging(services), env: {} }),
    ).rejects.toThrow(
      'Connection "ci-github": Personal access token could not be read from secret:prod-k8s/ci/github/token: Kubernetes references are not available in this build.',
    )
  })

  it('stored values come back as they are, with no lookup audited', async () => {
    const { services } = await unlockedServices()
    const token = ghToken()
    const created = services.connections.create({
      name: 'plain',
      provider: 'github',
      authMode: 'inline',
      values: { token },
    })
    expect(
      await secretsForUse(services, created.id, { environment: staging(services), env: {} }),
    ).toEqual({ version: 1, secrets: { token } })
    expect(
      services.audit.query({ filter: { actions: ['connection.reference-resolved'] } }).entries,
    ).toEqual([])
  })
})
