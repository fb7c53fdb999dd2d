import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '../fixtures/app'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

test('the CSP blocks inline script and every remote origin', async ({ page }) => {
  // A real server on another origin that would record anything the page managed to send it.
  const received: IncomingMessage[] = []
  const remote = createServer((request, response) => {
    received.push(request)
    response.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('ok')
  })
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve))
  const remoteOrigin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`

  try {
    await new VaultScreens(page).createWithKeychain()
    await new AppShell(page).expectSection('Connections')
    const outcome = await page.evaluate(async (origin) => {
      const violations: string[] = []
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(event.effectiveDirective),
      )
      const flags = window as unknown as Record<string, unknown>

      const inline = document.createElement('script')
      inline.textContent = 'window.__inlineRan = true'
      document.body.append(inline)

      const handler = document.createElement('div')
      handler.setAttribute('onclick', 'window.__handlerRan = true')
      document.body.append(handler)
      handler.click()

      // (eval is not tried here: code run through the DevTools protocol, as this is, is exempt
      // from the CSP's eval check. The policy has no 'unsafe-eval'; a unit test holds that.)

      const remoteScript = document.createElement('script')
      remoteScript.src = `${origin}/script.js`
      document.body.append(remoteScript)

      const image = document.createElement('img')
      image.src = `${origin}/pixel.png`
      document.body.append(image)

      let fetched = false
      try {
        await fetch(`${origin}/exfiltrate`)
        fetched = true
      } catch {
        // refused by the CSP
      }
      // Each refusal is reported by an event, later on a loaded machine: waited for, not 300 ms.
      const expected = ['connect-src', 'img-src', 'script-src-attr', 'script-src-elem']
      for (let waited = 0; waited < 15_000; waited += 50) {
        if (expected.every((directive) => violations.includes(directive))) break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return {
        inlineRan: flags.__inlineRan === true,
        handlerRan: flags.__handlerRan === true,
        fetched,
        violations: [...new Set(violations)].sort(),
      }
    }, remoteOrigin)

    expect(outcome).toEqual({
      inlineRan: false,
      handlerRan: false,
      fetched: false,
      violations: ['connect-src', 'img-src', 'script-src-attr', 'script-src-elem'],
    })
    expect(received, 'requests that reached the remote origin').toHaveLength(0)
  } finally {
    await new Promise((resolve) => remote.close(resolve))
  }
})
