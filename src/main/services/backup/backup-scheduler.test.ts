import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../../../test/manual-clock'
import { unlockedServices } from '../../../../test/services'
import { BackupScheduler } from './backup-scheduler'

const HOUR = 60 * 60 * 1000

async function scheduled() {
  const setup = await unlockedServices()
  const clock = new ManualClock()
  const scheduler = new BackupScheduler({
    backup: setup.services.backup,
    settings: setup.services.settings,
    vault: setup.services.vault,
    log: setup.log,
    clock,
  })
  const folder = mkdtempSync(join(tmpdir(), 'bk-scheduled-'))
  const ours = () =>
    readdirSync(folder)
      .filter((name) => /^bridgekeep-\d{8}-\d{6}\.bkbackup$/.test(name))
      .sort()
  return { ...setup, clock, scheduler, folder, ours }
}

describe('BackupScheduler', () => {
  it('writes nothing without a folder or while locked, then one backup per interval', async () => {
    const { scheduler, folder, ours, clock, services } = await scheduled()
    expect(await scheduler.tick()).toBe('no-folder')
    expect(scheduler.setSchedule({ backupFolder: folder, backupEveryHours: 24 })).toMatchObject({
      schedule: { backupFolder: folder, backupKeep: 7, backupEveryHours: 24 },
      lastBackupAt: null,
    })
    services.vaultLifecycle.lock()
    expect(await scheduler.tick()).toBe('locked')
    expect(ours()).toEqual([])

    await services.vault.unlock({ method: 'keychain' })
    expect(await scheduler.tick()).toBe('written')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]).toMatch(/^bridgekeep-\d{8}-\d{6}\.bkbackup$/)
    clock.advance(23 * HOUR)
    expect(await scheduler.tick()).toBe('not-due')
    clock.advance(HOUR + 1000)
    expect(await scheduler.tick()).toBe('written')
    const status = scheduler.status()
    expect(status.lastBackupFile).toBe(ours()[1])
    expect(Date.parse(status.nextBackupAt!) - Date.parse(status.lastBackupAt!)).toBe(24 * HOUR)
    expect(status.lastError).toBeNull()
  })

  it('Back up now in the same second as another backup waits for the next second, not fails', async () => {
    const { scheduler, folder, ours, clock } = await scheduled()
    scheduler.setSchedule({ backupFolder: folder })
    expect(await scheduler.tick()).toBe('written')
    const running = scheduler.runNow()
    // The clock has not moved: the name is taken. Its wait is on the manual clock, moved on
    // (only once it has started waiting) until the second backup is there.
    await new Promise((settled) => setImmediate(settled))
    await vi.waitFor(() => {
      clock.advance(1000)
      expect(ours()).toHaveLength(2)
    })
    const status = await running
    expect(status.lastError).toBeNull()
    expect(status.lastBackupFile).toBe(ours()[1])
  })

  it('keeps the newest N of its own files and touches no other file', async () => {
    const { scheduler, folder, clock } = await scheduled()
    const others = [
      'notes.txt',
      'mine.bkbackup',
      'bridgekeep-notes.bkbackup',
      'bridgekeep-20200101-000000.bkbackup.txt',
      'bridgekeep-20201399-000000.bkbackup',
    ]
    for (const name of others) writeFileSync(join(folder, name), 'not ours')
    // An old backup of ours (by name) that is beyond the newest two once three more are made.
    writeFileSync(join(folder, 'bridgekeep-20200101-000000.bkbackup'), 'old')
    scheduler.setSchedule({ backupFolder: folder, backupKeep: 2, backupEveryHours: 1 })
    const written: string[] = []
    for (let i = 0; i < 3; i++) {
      expect(await scheduler.tick()).toBe('written')
      written.push(scheduler.status().lastBackupFile!)
      clock.advance(HOUR)
    }
    // The old one and the first new one are gone; every other file is still there.
    expect(readdirSync(folder).sort()).toEqual([...others, ...written.slice(1)].sort())
  })

  it('reports a failure for the status until a backup works again, and logs no path', async () => {
    const { scheduler, folder, log } = await scheduled()
    scheduler.setSchedule({ backupFolder: folder })
    rmSync(folder, { recursive: true })
    expect(await scheduler.tick()).toBe('failed')
    expect(scheduler.status().lastError).toMatchObject({
      code: 'VALIDATION',
      message: `The backup folder ${folder} does not exist.`,
    })
    expect(log.lines.find((line) => line.event === 'backup.scheduled-failed')).toMatchObject({
      fields: { code: 'VALIDATION' },
    })
    expect(JSON.stringify(log.lines)).not.toContain(folder)
    mkdirSync(folder)
    expect(await scheduler.tick()).toBe('written')
    expect(scheduler.status().lastError).toBeNull()
  })

  it('refuses a relative, missing or non-folder path and out-of-range numbers', async () => {
    const { scheduler, folder } = await scheduled()
    const file = join(folder, 'a-file')
    writeFileSync(file, '')
    const cases: [object, RegExp][] = [
      [{ backupFolder: 'backups' }, /absolute path/],
      [{ backupFolder: join(folder, 'missing') }, /does not exist/],
      [{ backupFolder: file }, /is not a folder/],
      [{ backupKeep: 0 }, /backupKeep|too small|>=1/i],
      [{ backupEveryHours: 24 * 31 }, /backupEveryHours|too big|<=720/i],
    ]
    for (const [patch, message] of cases)
      expect(() => scheduler.setSchedule(patch)).toThrow(message)
    expect(scheduler.status().schedule.backupFolder).toBeNull()
  })

  it('runs on its own timer once started, and stops', async () => {
    const { scheduler, folder, ours, clock } = await scheduled()
    scheduler.setSchedule({ backupFolder: folder })
    scheduler.start()
    clock.advance(1)
    await vi.waitFor(() => expect(ours()).toHaveLength(1))
    await scheduler.stop()
    clock.advance(48 * HOUR)
    expect(ours()).toHaveLength(1)
  })
})
