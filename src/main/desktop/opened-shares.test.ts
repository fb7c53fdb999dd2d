import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EventBus } from '../services/events/event-bus'
import { OpenedShares, shareFileIn } from './opened-shares'

describe('shareFileIn', () => {
  it.each([
    [
      ['/opt/Bridgekeep/bridgekeep', '/home/a/Downloads/team.bkshare'],
      '/home/a/Downloads/team.bkshare',
    ],
    [['Bridgekeep.exe', '--flag', 'C:\\Users\\a\\TEAM.BKSHARE'], 'C:\\Users\\a\\TEAM.BKSHARE'],
    [['electron', '.', '--no-sandbox'], undefined],
    [['electron', '--open=x.bkshare'], undefined],
    [['electron', 'notes.txt'], undefined],
  ])('%j -> %s', (argv, expected) => {
    expect(shareFileIn(argv)).toBe(expected)
  })
})

describe('OpenedShares (real files)', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'bk-opened-'))
    const events = new EventBus()
    const pushed: unknown[] = []
    events.connect((channel, payload) => pushed.push({ channel, payload }))
    return { dir, opened: new OpenedShares(events), pushed }
  }

  it('keeps the file for the window, tells it so, and hands it over once', () => {
    const { dir, opened, pushed } = setup()
    const path = join(dir, 'team.bkshare')
    writeFileSync(path, 'age bytes')
    opened.open(path)
    expect(pushed).toEqual([{ channel: 'sharing:fileOpened', payload: { name: 'team.bkshare' } }])
    expect(opened.take()).toEqual({
      name: 'team.bkshare',
      file: Buffer.from('age bytes').toString('base64'),
    })
    expect(opened.take()).toBeNull()
  })

  it('says why a file cannot be read, for the preview to show', () => {
    const { dir, opened } = setup()
    opened.open(join(dir, 'gone.bkshare'))
    expect(opened.take()).toMatchObject({
      name: 'gone.bkshare',
      problem: expect.stringMatching(/gone\.bkshare/) as string,
    })
    mkdirSync(join(dir, 'folder.bkshare'))
    opened.open(join(dir, 'folder.bkshare'))
    const folder = opened.take()
    expect(folder?.file).toBeUndefined()
    expect(folder?.problem).toMatch(/folder/)
  })
})
