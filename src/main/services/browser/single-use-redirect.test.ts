import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isBridgekeepError } from '../../../shared/errors'
import { startSingleUseRedirect } from './single-use-redirect'

/** A federation-style link whose token signs whoever holds it in. */
function secretLink() {
  const token = randomBytes(48).toString('base64url')
  return {
    token,
    link: `https://signin.aws.amazon.com/federation?Action=login&SigninToken=${token}`,
  }
}

/** A real HTTP request that does not follow redirects: the status and where it points. */
async function ask(url: string) {
  const response = await fetch(url, { redirect: 'manual' })
  return {
    status: response.status,
    location: response.headers.get('location'),
    headers: response.headers,
    body: await response.text(),
  }
}

/** Whether anything still listens at `url`'s port. */
async function refused(url: string): Promise<boolean> {
  return fetch(url, { redirect: 'manual' }).then(
    () => false,
    () => true,
  )
}

describe('startSingleUseRedirect', () => {
  it('redirects the exact nonce path once, uncached and without a referrer, then closes', async () => {
    const { link } = secretLink()
    const redirect = await startSingleUseRedirect(link)
    const address = new URL(redirect.url)
    expect(address.hostname).toBe('127.0.0.1')
    // 32 random bytes in base64url: 43 characters.
    expect(address.pathname).toMatch(/^\/[A-Za-z0-9_-]{43}$/)

    const first = await ask(redirect.url)
    expect(first.status).toBe(302)
    expect(first.location).toBe(link)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(first.headers.get('referrer-policy')).toBe('no-referrer')
    await expect(redirect.served).resolves.toBe(true)
    // Used up: nothing answers any more, so no second browser (or local user) gets the link.
    expect(await refused(redirect.url)).toBe(true)
  })

  it('answers 404 to any other path, method or nonce, and still serves the right one once', async () => {
    const { link, token } = secretLink()
    const redirect = await startSingleUseRedirect(link)
    const address = new URL(redirect.url)
    const nonce = address.pathname.slice(1)
    const wrong = [
      `${address.origin}/`,
      `${address.origin}/favicon.ico`,
      // One character off (a nonce ending in A would make "…A" the right one).
      `${address.origin}/${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`,
      `${address.origin}/${nonce}/`,
      `${address.origin}/${nonce}?again=1`,
    ]
    for (const url of wrong) {
      const answer = await ask(url)
      expect(answer.status, url).toBe(404)
      expect(answer.location).toBeNull()
      expect(answer.body).not.toContain(token)
    }
    const post = await fetch(redirect.url, { method: 'POST', redirect: 'manual' })
    expect(post.status).toBe(404)
    expect((await ask(redirect.url)).status).toBe(302)
    await expect(redirect.served).resolves.toBe(true)
  })

  it('two browsers racing for the address: exactly one is redirected', async () => {
    const { link } = secretLink()
    const redirect = await startSingleUseRedirect(link)
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        ask(redirect.url).then(
          (answer) => answer.status,
          () => 'refused',
        ),
      ),
    )
    expect(answers.filter((status) => status === 302)).toHaveLength(1)
    expect(
      answers.filter((status) => status !== 302).every((s) => s === 404 || s === 'refused'),
    ).toBe(true)
  })

  it('gives up after the timeout: served is false and the port is closed', async () => {
    const redirect = await startSingleUseRedirect(secretLink().link, { timeoutMs: 150 })
    await expect(redirect.served).resolves.toBe(false)
    expect(await refused(redirect.url)).toBe(true)
  })

  it('close() gives up at once', async () => {
    const redirect = await startSingleUseRedirect(secretLink().link)
    redirect.close()
    await expect(redirect.served).resolves.toBe(false)
    expect(await refused(redirect.url)).toBe(true)
  })

  it('refuses a link that is not https (or http on this computer), without repeating it', async () => {
    const token = randomBytes(24).toString('hex')
    for (const link of [`file:///tmp/${token}`, `http://example.com/?t=${token}`, `-${token}`]) {
      const error = await startSingleUseRedirect(link).then(
        () => undefined,
        (e: unknown) => e,
      )
      if (!isBridgekeepError(error)) throw new Error(`expected a refusal of ${link}`)
      expect(error.code).toBe('VALIDATION')
      expect(JSON.stringify(error)).not.toContain(token)
      expect(error.message).not.toContain(token)
    }
  })
})
