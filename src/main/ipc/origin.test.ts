import { describe, expect, it } from 'vitest'
import { isTrustedSender, originOf } from './origin'

const trusted = ['app://bridgekeep', 'http://127.0.0.1:5173']

describe('isTrustedSender', () => {
  it.each([
    ['app://bridgekeep/index.html', true],
    ['app://bridgekeep/index.html#/settings', true],
    ['http://127.0.0.1:5173/', true],
    ['app://evil/index.html', false],
    ['app://bridgekeep.evil/index.html', false],
    ['http://127.0.0.1:5174/', false],
    ['https://127.0.0.1:5173/', false],
    ['file:///etc/passwd', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (url, expected) => {
    expect(isTrustedSender(url, trusted)).toBe(expected)
  })
})

describe('originOf', () => {
  it('rebuilds the origin of a custom standard scheme', () => {
    expect(originOf('app://bridgekeep/assets/x.js?y#z')).toBe('app://bridgekeep')
  })
  it('uses the WHATWG origin for http', () => {
    expect(originOf('http://127.0.0.1:80/a')).toBe('http://127.0.0.1')
  })
  it('refuses a URL without a host', () => {
    expect(() => originOf('app:')).toThrow()
  })
})
