import { describe, expect, it } from 'vitest'
import { classifyKeychainError, safeReason, toBridgekeepError } from './keychain-errors'

// Messages as @napi-rs/keyring 2.1.2 reports them on Linux (seen in keystore.test.ts for real).
const observed = {
  noSession:
    'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
  deadSocket:
    'Platform failure: DBus error: Failed to connect to socket /run/user/1000/bus: No such file or directory',
  noService:
    'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files',
  locked: "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
  notFound: "Couldn't access platform storage: Secret Service: no result found",
  timeout:
    'Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken.',
}

describe('classifyKeychainError', () => {
  it('recognises the failures seen on Linux', () => {
    expect(classifyKeychainError(new Error(observed.noSession))).toEqual({ kind: 'no-session' })
    expect(classifyKeychainError(new Error(observed.deadSocket))).toEqual({ kind: 'no-session' })
    expect(classifyKeychainError(new Error(observed.noService))).toEqual({ kind: 'no-service' })
    expect(classifyKeychainError(new Error(observed.locked))).toEqual({ kind: 'locked' })
    expect(classifyKeychainError(new Error(observed.notFound))).toEqual({ kind: 'not-found' })
    expect(classifyKeychainError(new Error('Entry is matched by 2 credentials: [...]'))).toEqual({
      kind: 'other',
      reason: 'more than one keychain item matches this vault',
    })
  })

  it('reduces anything else to a short, safe reason', () => {
    const failure = classifyKeychainError(new Error(observed.timeout))
    expect(failure.kind).toBe('other')
    if (failure.kind !== 'other') return
    expect(failure.reason.length).toBeLessThanOrEqual(120)
    expect(failure.reason.startsWith('DBus error: Did not receive a reply')).toBe(true)
  })
})

describe('toBridgekeepError', () => {
  it('gives each failure its code and a remedy', () => {
    const noSession = toBridgekeepError({ kind: 'no-session' })
    expect(noSession.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(noSession.message).toMatch(/^No keychain is reachable: /)
    expect(noSession.hint).toMatch(/GNOME Keyring\/KWallet.*recovery key.*passphrase mode/)
    const locked = toBridgekeepError({ kind: 'locked' })
    expect(locked.code).toBe('KEYCHAIN_LOCKED')
    expect(locked.hint).toBe('Unlock your keyring and try again, or use your recovery key.')
    const other = toBridgekeepError({ kind: 'other', reason: 'boom' })
    expect(other.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(other.message).toContain('boom')
  })
})

describe('safeReason', () => {
  it('keeps one line, drops the library prefix, blanks key-like runs', () => {
    const key = Buffer.alloc(32, 7).toString('base64')
    const reason = safeReason(`Platform failure: bad value ${key}\nsecond line`)
    expect(reason).toBe('bad value …')
    expect(safeReason('')).toBe('unknown error')
    expect(safeReason('x'.repeat(500)).length).toBeLessThanOrEqual(120)
  })
})
