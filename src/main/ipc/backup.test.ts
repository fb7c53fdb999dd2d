import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../shared/ipc/result'
import { connectionInput, freshServices, unlockedServices } from '../../../test/services'

describe('backup:* over IPC', () => {
  it('makes a backup for the page, and restores it in a fresh data folder', async () => {
    const source = await unlockedServices()
    const id = source.services.connections.create(connectionInput('github', 'prod-github')).id
    const secret = source.services.connections.reveal(id, 'token')

    const made = (await source.call('backup:create')) as IpcResult<{
      filename: string
      base64: string
    }>
    if (!made.ok) throw new Error(made.error.message)
    expect(made.value.filename).toMatch(/^bridgekeep-\d{8}-\d{6}\.bkbackup$/)

    const target = freshServices()
    const input = { base64: made.value.base64, recoveryKey: source.recoveryKey }
    const wrong = await target.call('backup:restore', {
      ...input,
      recoveryKey: (await unlockedServices()).recoveryKey,
    })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_RECOVERY_KEY' } })
    const notBase64 = await target.call('backup:restore', { ...input, base64: 'not base64!' })
    expect(notBase64).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

    expect(await target.call('backup:restore', input)).toMatchObject({
      ok: true,
      value: { vaultId: source.services.vault.vaultId(), replacedExisting: false },
    })
    expect(target.services.connections.reveal(id, 'token')).toBe(secret)
    expect(target.pushes.at(-1)).toMatchObject({
      channel: 'vault:changed',
      payload: { state: 'unlocked' },
    })
    // A second restore over it needs replaceExisting.
    expect(await target.call('backup:restore', input)).toMatchObject({
      ok: false,
      error: { code: 'VAULT_EXISTS' },
    })
    expect(await target.call('backup:restore', { ...input, replaceExisting: true })).toMatchObject({
      ok: true,
      value: { replacedExisting: true },
    })
  })

  it('sets the schedule, runs it now, and reports its status', async () => {
    const { call } = await unlockedServices()
    const folder = mkdtempSync(join(tmpdir(), 'bk-ipc-backups-'))
    expect(await call('backup:status')).toMatchObject({
      ok: true,
      value: {
        schedule: { backupFolder: null, backupKeep: 7, backupEveryHours: 24 },
        lastBackupAt: null,
        nextBackupAt: null,
        lastError: null,
      },
    })
    expect(await call('backup:runNow')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'No backup folder is set.' },
    })
    expect(await call('backup:setSchedule', { backupFolder: 'relative/path' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect(await call('backup:setSchedule', { backupFolder: folder, backupKeep: 3 })).toMatchObject(
      { ok: true, value: { schedule: { backupFolder: folder, backupKeep: 3 } } },
    )
    const ran = await call('backup:runNow')
    expect(ran).toMatchObject({ ok: true, value: { lastError: null } })
    expect(readdirSync(folder)).toEqual([
      (ran as { value: { lastBackupFile: string } }).value.lastBackupFile,
    ])
    // The schedule is not a general setting: settings:update refuses its fields.
    expect(await call('settings:update', { backupKeep: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
  })
})
