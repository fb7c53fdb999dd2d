import { describe, expect, it } from 'vitest'
import { decideWindowOpen, isNavigationAllowed, isPermissionGranted } from './guards'

describe('isNavigationAllowed', () => {
  const origins = ['app://bridgekeep']
  it.each([
    ['app://bridgekeep/index.html#/audit', true],
    ['app://bridgekeep/', true],
    ['https://example.com/', false],
    ['http://127.0.0.1:8080/', false],
    ['file:///home/user/.ssh/id_ed25519', false],
    ['app://other/index.html', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['::garbage::', false],
  ])('%s -> %s', (url, expected) => {
    expect(isNavigationAllowed(url, origins)).toBe(expected)
  })
})

describe('decideWindowOpen', () => {
  it('never opens a window; https links go to the default browser', () => {
    expect(decideWindowOpen('https://docs.example.com/x')).toEqual({
      action: 'deny',
      openExternally: true,
    })
  })
  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'app://bridgekeep/index.html',
    'javascript:1',
    'x',
  ])('denies %s without opening anything', (url) => {
    expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: false })
  })
})

describe('isPermissionGranted', () => {
  it.each([
    'media',
    'notifications',
    'geolocation',
    'clipboard-read',
    'clipboard-sanitized-write',
    'openExternal',
    'unknown',
  ])('denies %s', (permission) => {
    expect(isPermissionGranted(permission)).toBe(false)
  })
})
