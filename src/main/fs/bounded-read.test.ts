import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_READ_LIMIT,
  FileReadError,
  readFileLimited,
  readStreamLimited,
} from './bounded-read'

const dir = mkdtempSync(join(tmpdir(), 'bk-bounded-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function failure(run: () => unknown): FileReadError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(FileReadError)
    return error as FileReadError
  }
  throw new Error('expected a FileReadError')
}

/** A sparse file: its size on disk is next to nothing. */
function sparseFile(name: string, size: number): string {
  const path = join(dir, name)
  writeFileSync(path, '')
  truncateSync(path, size)
  return path
}

describe('readFileLimited', () => {
  it('stops reading /dev/zero once past the limit', () => {
    const started = performance.now()
    const error = failure(() => readFileLimited('/dev/zero', { what: 'a connection file' }))
    expect(error).toMatchObject({ reason: 'too-large', code: 'VALIDATION' })
    expect(error.message).toBe(
      '/dev/zero is larger than 16 MiB: not a connection file. Check the path.',
    )
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('reads a file of exactly the limit, and refuses one byte more', () => {
    const limit = 256 * 1024
    expect(readFileLimited(sparseFile('at-limit', limit), { what: 'x', limit })).toHaveLength(limit)
    const over = sparseFile('over-limit', DEFAULT_READ_LIMIT + 1)
    expect(failure(() => readFileLimited(over, { what: 'a kubeconfig' })).message).toBe(
      `${over} is larger than 16 MiB: not a kubeconfig. Check the path.`,
    )
    expect(
      failure(() => readFileLimited(sparseFile('over', limit + 1), { what: 'x', limit })),
    ).toMatchObject({ reason: 'too-large', message: expect.stringContaining('256 KiB') })
  })

  it('stops reading an endless FIFO (stat says 0 bytes there)', () => {
    const fifo = join(dir, 'fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const writer = spawn('sh', ['-c', `exec cat /dev/zero > '${fifo}'`], { stdio: 'ignore' })
    try {
      const error = failure(() => readFileLimited(fifo, { what: 'a share', limit: 1024 * 1024 }))
      expect(error.reason).toBe('too-large')
    } finally {
      writer.kill('SIGKILL')
    }
  })

  it('names a directory and a missing file clearly', () => {
    expect(failure(() => readFileLimited(dir, { what: 'a Bridgekeep share' }))).toMatchObject({
      reason: 'directory',
      errno: 'EISDIR',
      message: `${dir} is a directory, not a Bridgekeep share. Check the path.`,
    })
    const missing = join(dir, 'nope.json')
    expect(
      failure(() => readFileLimited(missing, { what: 'x', hint: 'Give the right path.' })),
    ).toMatchObject({
      reason: 'missing',
      code: 'NOT_FOUND',
      message: `There is no file ${missing}.`,
      hint: 'Give the right path.',
    })
  })

  it('reads an ordinary file whole', () => {
    const path = join(dir, 'small.txt')
    writeFileSync(path, 'a'.repeat(200_000))
    expect(readFileLimited(path, { what: 'x' }).toString()).toBe('a'.repeat(200_000))
  })
})

describe('readStreamLimited', () => {
  it('stops an endless stream once past the limit', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(64 * 1024)
      })(),
    )
    await expect(
      readStreamLimited(endless, { source: 'stdin', what: 'a value for token' }),
    ).rejects.toMatchObject({
      reason: 'too-large',
      message: 'stdin is larger than 16 MiB: not a value for token.',
    })
  })

  it('reads a stream of strings and buffers whole', async () => {
    const bytes = await readStreamLimited(Readable.from(['ab', Buffer.from('cd')]), {
      source: 'stdin',
      what: 'x',
    })
    expect(bytes.toString()).toBe('abcd')
  })
})
