import { describe, expect, it } from 'vitest'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { serviceAccount } from '../../../test/fixtures/google'
import { scrub, scrubText, sensitiveStrings } from './scrub'

describe('scrubbing secrets out of results', () => {
  const secret = `${canary.alnum(20)}/+ &`

  it('removes a secret in every form it travels in', () => {
    const sensitive = sensitiveStrings([{ password: secret }])
    const forms = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      JSON.stringify(secret).slice(1, -1),
    ]
    for (const form of forms)
      expect(scrubText(`before ${form} after`, sensitive)).toBe('before [redacted] after')
  })

  it("removes a key file's private key and its lines, but keeps the client email and URLs", () => {
    const account = serviceAccount()
    const sensitive = sensitiveStrings([{ service_account_key: account.keyFile }])
    const line = account.secretLines[3]!
    const text = scrubText(
      `bad key line ${line} for ${account.email} at https://oauth2.googleapis.com/token`,
      sensitive,
    )
    expect(text).toBe(
      `bad key line [redacted] for ${account.email} at https://oauth2.googleapis.com/token`,
    )
  })

  it("removes a kubeconfig's token", () => {
    const token = canary.alnum(40)
    const kubeconfig = `users:\n- name: me\n  user:\n    token: ${token}\n`
    expect(scrubText(`the server said ${token}`, sensitiveStrings([{ kubeconfig }]))).toBe(
      'the server said [redacted]',
    )
  })

  it('walks nested results and leaves short values alone', () => {
    const result = scrub(
      { error: { message: `x ${secret}`, list: [secret] }, n: 3 },
      sensitiveStrings([{ a: secret, b: 'abc' }]),
    )
    expect(result).toEqual({ error: { message: 'x [redacted]', list: ['[redacted]'] }, n: 3 })
    expect(scrubText('abc', sensitiveStrings([{ b: 'abc' }]))).toBe('abc')
  })

  it('the leak check used by the provider tests does fire', () => {
    expect(() => expectNoSecrets({ message: `oops ${secret.slice(2, 16)}` }, [secret])).toThrow(
      /leaked/,
    )
    expect(() => expectNoSecrets({ message: 'clean' }, [secret])).not.toThrow()
  })
})
