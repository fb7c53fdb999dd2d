import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runnerEnrollmentSchema } from '../../shared/runner-protocol/enrollment'
import { unlockedServices } from '../../../test/services'
import { hashApiKey } from './runner-identity'

const control = { host: '127.0.0.1', port: 4443 }

describe("the vault's runner CA and credentials", () => {
  it('keeps the CA key only wrapped by the data key, bound to this vault and purpose', async () => {
    const { services } = await unlockedServices()
    const { identity } = services.runner
    const ca = await identity.authority()
    const stored = services.vault.database().prepare('SELECT key_wrapped FROM runner_ca').get() as {
      key_wrapped: Buffer
    }
    expect(stored.key_wrapped.includes(ca.keyPkcs8)).toBe(false)
    // The same CA on the next call, not a new one.
    expect((await identity.authority()).certPem).toBe(ca.certPem)
    const cert = new X509Certificate(ca.certPem)
    expect(cert.ca).toBe(true)
    expect(cert.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' })

    // Locked: no CA key for anyone.
    services.vault.lock()
    await expect(identity.authority()).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
  })

  it('issues a credentials file whose certificate chains to the CA and names vault and runner', async () => {
    const { services } = await unlockedServices()
    const { identity } = services.runner
    const { enrollment, serial } = await identity.issueRunner({
      runnerId: 'r-1',
      name: 'r-1',
      kind: 'remote',
      label: 'ci box',
      control,
    })
    expect(runnerEnrollmentSchema.parse(enrollment)).toEqual(enrollment)
    const cert = new X509Certificate(enrollment.certificate)
    const ca = new X509Certificate(enrollment.caCertificate)
    expect(cert.verify(ca.publicKey)).toBe(true)
    expect(cert.subjectAltName).toBe(`URI:urn:bridgekeep:runner:${services.vault.vaultId()}:r-1`)
    expect(cert.serialNumber).toBe(serial)
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']) // clientAuth only
    expect(identity.checkCertificate(cert)).toEqual({ ok: true, runnerId: 'r-1', serial })

    // Stored: the serial and the key's hash, never the key or the private key.
    const rows = services.vault.database().prepare('SELECT * FROM runner_credentials').all()
    expect(rows).toEqual([
      expect.objectContaining({
        serial,
        api_key_hash: hashApiKey(enrollment.apiKey),
        revoked_at: null,
      }),
    ])
    const everything = JSON.stringify(
      services.vault
        .database()
        .prepare('SELECT * FROM runners, runner_credentials, runner_settings')
        .all(),
    )
    expect(everything).not.toContain(enrollment.apiKey)
    expect(everything).not.toContain(enrollment.privateKey.split('\n')[1])

    expect(identity.checkApiKey(serial, enrollment.apiKey)).toBe(true)
    expect(identity.checkApiKey(serial, `${enrollment.apiKey}x`)).toBe(false)
  })

  it('revokes every earlier credential of a kind at once', async () => {
    const { services } = await unlockedServices()
    const { identity } = services.runner
    const a = await identity.issueRunner({
      runnerId: 'a',
      name: 'a',
      kind: 'remote',
      label: 'a',
      control,
    })
    const b = await identity.issueRunner({
      runnerId: 'b',
      name: 'b',
      kind: 'remote',
      label: 'b',
      control,
    })
    const local = await identity.issueRunner({
      runnerId: 'local',
      name: 'local',
      kind: 'local',
      label: 'l',
      control,
    })
    expect(identity.revokeAll('remote').sort()).toEqual([a.serial, b.serial].sort())
    for (const issued of [a, b]) {
      expect(
        identity.checkCertificate(new X509Certificate(issued.enrollment.certificate)),
      ).toMatchObject({
        ok: false,
        stage: 'revoked',
      })
      expect(identity.checkApiKey(issued.serial, issued.enrollment.apiKey)).toBe(false)
    }
    expect(identity.checkApiKey(local.serial, local.enrollment.apiKey)).toBe(true)
  })

  it('keeps the CA through a re-encryption of the vault with a new data key', async () => {
    const { services, call } = await unlockedServices()
    const before = await services.runner.identity.authority()
    const result = await call('vault:reencrypt', {})
    expect(result).toMatchObject({ ok: true })
    const after = await services.runner.identity.authority()
    expect(after.certPem).toBe(before.certPem)
    expect(after.keyPkcs8.equals(before.keyPkcs8)).toBe(true)
  })
})
