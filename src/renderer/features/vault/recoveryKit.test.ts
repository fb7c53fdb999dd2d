import { describe, expect, it } from 'vitest'
import { escapeHtml, recoveryKitFilename, recoveryKitHtml, type RecoveryKit } from './recoveryKit'

const kit: RecoveryKit = {
  recoveryKey: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789',
  vaultId: '1a2b3c4d-0000-4000-8000-123456789abc',
  vaultCreatedAt: '2026-03-14T09:26:53.000Z',
  issuedAt: new Date('2026-12-06T19:00:00Z'),
}

describe('recovery kit', () => {
  it('holds the key in its groups, the vault, both dates and what the key is for', () => {
    const html = recoveryKitHtml(kit)
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain(
      '<span>ABCD</span> <span>EFGH</span> <span>JKLM</span> <span>NPQR</span><br>\n<span>STUV</span>',
    )
    expect(html).toContain(kit.vaultId)
    expect(html).toContain('<dt>Vault created</dt><dd>14 March 2026</dd>')
    expect(html).toContain('This kit was created on 6 December 2026.')
    expect(html).toContain('Bridgekeep recovery kit')
    expect(html).toContain('keychain is lost')
    expect(html).toContain('forget your passphrase')
    expect(html).toContain('Restoring a backup')
    expect(html).toContain('password manager')
  })

  it('is self-contained: no script, nothing fetched', () => {
    const html = recoveryKitHtml(kit)
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i)
  })

  it('escapes every piece of text it is given', () => {
    const hostile = '<img src=x onerror="alert(1)">&\''
    const html = recoveryKitHtml({ ...kit, vaultId: hostile, recoveryKey: `${hostile}-AB<CD` })
    expect(html).not.toContain('<img')
    expect(html).not.toContain('"alert(1)"')
    expect(html).toContain(escapeHtml(hostile))
    expect(html).toContain('<span>AB&lt;CD</span>')
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;')
  })

  it('leaves out a vault creation date that is missing or unreadable', () => {
    expect(recoveryKitHtml({ ...kit, vaultCreatedAt: undefined })).not.toContain('Vault created')
    expect(recoveryKitHtml({ ...kit, vaultCreatedAt: 'not a date' })).not.toContain('Vault created')
  })

  it('names the file after the vault, with nothing a file name cannot hold', () => {
    expect(recoveryKitFilename(kit)).toBe('bridgekeep-recovery-kit-1a2b3c4d.html')
    expect(recoveryKitFilename({ ...kit, vaultId: '../..' })).toBe(
      'bridgekeep-recovery-kit-vault.html',
    )
  })
})
