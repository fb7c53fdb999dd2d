import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from './csp'

const directives = new Map(
  CONTENT_SECURITY_POLICY.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/)
    return [name, values] as const
  }),
)

describe('CONTENT_SECURITY_POLICY', () => {
  it('denies everything by default', () => {
    expect(directives.get('default-src')).toEqual(["'none'"])
  })
  it('runs only the app bundle: no inline code, no eval, no remote script', () => {
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*/)
  })
  it('names no remote origin anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:/)
  })
  it('locks framing, forms, base and plugins', () => {
    for (const name of ['frame-ancestors', 'form-action', 'base-uri', 'object-src']) {
      expect(directives.get(name), name).toEqual(["'none'"])
    }
  })
})
