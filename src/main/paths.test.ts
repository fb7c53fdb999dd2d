import { describe, expect, it } from 'vitest'
import { resolveDataDir } from './paths'

describe('resolveDataDir', () => {
  it('uses BRIDGEKEEP_HOME when set', () => {
    expect(resolveDataDir({ BRIDGEKEEP_HOME: '/data/bk' }, 'linux', '/home/a')).toBe('/data/bk')
  })
  it('ignores a blank BRIDGEKEEP_HOME', () => {
    expect(resolveDataDir({ BRIDGEKEEP_HOME: '  ' }, 'linux', '/home/a')).toBe(
      '/home/a/.config/Bridgekeep',
    )
  })
  it('follows XDG_CONFIG_HOME on Linux, as Electron does', () => {
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/a')).toBe('/xdg/Bridgekeep')
  })
  it('uses Application Support on macOS', () => {
    expect(resolveDataDir({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/Bridgekeep',
    )
  })
})
