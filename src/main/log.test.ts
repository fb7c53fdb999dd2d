import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { dispatch } from './ipc/dispatch'
import { fileLogger, memoryLogger, type LogFields, type LogLine } from './log'
import { appLogFile } from './paths'

const mode = (path: string) => statSync(path).mode & 0o777

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'bk-app-log-'))
}

function lines(path: string): LogLine[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as LogLine)
}

describe('the app log file', () => {
  it('lives in <data folder>/logs/app.log: JSON lines, folder 0700, file 0600', () => {
    const dir = dataDir()
    const file = appLogFile(dir)
    expect(file).toBe(join(dir, 'logs', 'app.log'))
    const log = fileLogger(file)
    expect(existsSync(file)).toBe(false) // nothing is created until there is a line

    log.info('app.started', { version: '1.2.3', ready: true, took: 12 })
    log.error('ipc.crashed', { channel: 'settings:get', error: 'TypeError' })

    expect(mode(join(dir, 'logs'))).toBe(0o700)
    expect(mode(file)).toBe(0o600)
    expect(lines(file)).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        event: 'app.started',
        fields: { version: '1.2.3', ready: true, took: 12 },
      },
      {
        time: expect.any(String),
        level: 'error',
        event: 'ipc.crashed',
        fields: { channel: 'settings:get', error: 'TypeError' },
      },
    ])
  })

  it('rotates at 1 MiB and keeps three, every one 0600', () => {
    const dir = dataDir()
    const file = appLogFile(dir)
    const log = fileLogger(file)
    const text = 'x'.repeat(2000) // the longest a text field may be
    let written = 0
    for (let i = 0; written < 5.5 * 1024 * 1024; i++) {
      log.info('bench.line', { i, text })
      written += 2100
    }
    log.info('last.line', { n: 1 })

    expect(readdirSync(join(dir, 'logs')).sort()).toEqual([
      'app.log',
      'app.log.1',
      'app.log.2',
      'app.log.3',
    ])
    for (const name of ['app.log', 'app.log.1', 'app.log.2', 'app.log.3']) {
      const path = join(dir, 'logs', name)
      expect(statSync(path).size, name).toBeLessThanOrEqual(1024 * 1024)
      // A rotated file was full: the next line would not have fitted.
      if (name !== 'app.log') expect(statSync(path).size, name).toBeGreaterThan(1020 * 1024)
      expect(mode(path), name).toBe(0o600)
      // Whole lines only: a rotation never cuts one.
      expect(() => lines(path), name).not.toThrow()
    }
    expect(lines(file).at(-1)).toMatchObject({ event: 'last.line' })
    // The oldest kept file is older than the next one.
    const first = (name: string) => lines(join(dir, 'logs', name))[0]!.fields.i as number
    expect(first('app.log.3')).toBeLessThan(first('app.log.2'))
    expect(first('app.log.2')).toBeLessThan(first('app.log.1'))
  })

  it('carries on from an existing file, tightening one others could read', () => {
    const dir = dataDir()
    const file = appLogFile(dir)
    mkdirSync(join(dir, 'logs'))
    writeFileSync(file, `${JSON.stringify({ event: 'before' })}\n`)
    chmodSync(file, 0o644)
    fileLogger(file, { maxBytes: 4096, keep: 3 }).warn('after', { n: 1 })
    expect(mode(file)).toBe(0o600)
    expect(lines(file).map((line) => line.event)).toEqual(['before', 'after'])
  })

  it('writes typed fields only: no secret canary reaches the file', async () => {
    const dir = dataDir()
    const file = appLogFile(dir)
    const secret = canary.awsSecret()
    const log = fileLogger(file)
    // What the types allow is written as is...
    log.info('connection.used', { provider: 'aws', operation: 'exec', tags: ['a', 'b'] })
    // ...and what a cast slips past them is dropped: objects, errors, functions.
    log.error('bad.call', {
      code: 'INTERNAL',
      cause: new Error(`postgres://admin:${secret}@db`),
      secrets: { secret_access_key: secret },
      mixed: ['ok', { secret } as unknown as string],
    } as unknown as LogFields)
    // And the real path: an unexpected error in an IPC handler, logged by dispatch.
    const answer = await dispatch(
      new Map([
        [
          'settings:get',
          () => {
            throw new Error(`connection string postgres://admin:${secret}@db`)
          },
        ],
      ]),
      'settings:get',
      undefined,
      { senderUrl: 'app://bridgekeep/index.html', trustedOrigins: ['app://bridgekeep'], log },
    )
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', hint: expect.stringContaining('logs/app.log') },
    })

    const written = readFileSync(file, 'utf8')
    expectNoSecrets(written, [secret])
    expect(lines(file)).toEqual([
      expect.objectContaining({
        event: 'connection.used',
        fields: { provider: 'aws', operation: 'exec', tags: ['a', 'b'] },
      }),
      expect.objectContaining({ event: 'bad.call', fields: { code: 'INTERNAL', mixed: ['ok'] } }),
      expect.objectContaining({
        event: 'ipc.crashed',
        fields: { channel: 'settings:get', error: 'Error' },
      }),
    ])
  })

  it('passes every line on to another logger as well (stderr, in the app)', () => {
    const file = appLogFile(dataDir())
    const also = memoryLogger()
    fileLogger(file, { also }).warn('runner.crashed', { code: 1 })
    expect(also.lines).toEqual([expect.objectContaining({ event: 'runner.crashed' })])
    expect(lines(file)).toEqual([expect.objectContaining({ event: 'runner.crashed' })])
  })

  it('never throws when the file cannot be written', () => {
    const dir = dataDir()
    writeFileSync(join(dir, 'logs'), 'a file where the folder should be')
    const log = fileLogger(appLogFile(dir))
    expect(() => log.error('disk.full', { n: 1 })).not.toThrow()
  })
})
