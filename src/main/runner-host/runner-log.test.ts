import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RunnerLog } from './runner-log'

const line = (event: string, level: 'debug' | 'info' | 'warn' | 'error' = 'info', fields = {}) => ({
  time: new Date().toISOString(),
  level,
  source: 'app' as const,
  runnerId: null,
  event,
  fields,
})

describe('the runner log', () => {
  it('keeps the last 1,000 lines, filtered by level and text', () => {
    const log = new RunnerLog()
    for (let i = 0; i < 1200; i++)
      log.append(line(`event.${i}`, i % 10 === 0 ? 'warn' : 'info', { n: i }))
    const all = log.query({ limit: 1000 })
    expect(all).toHaveLength(1000)
    expect(all[0]?.event).toBe('event.200')
    expect(all.at(-1)?.event).toBe('event.1199')
    expect(log.query({ level: 'warn', limit: 1000 })).toHaveLength(100)
    expect(log.query({ search: 'N=1199' }).map((entry) => entry.event)).toEqual(['event.1199'])
    expect(log.query({ limit: 3 }).map((entry) => entry.seq)).toEqual([1198, 1199, 1200])
  })

  it('keeps only scalar fields, cut to size', () => {
    const log = new RunnerLog()
    const entry = log.append(
      line('x', 'info', {
        text: 'y'.repeat(5000),
        nested: { secret: 'no' },
        list: ['a', 1],
        ok: true,
      }),
    )
    expect(entry.fields).toEqual({ text: 'y'.repeat(2000), list: ['a'], ok: true })
  })

  it("files the app's lines about a runner under it, and shows one runner's lines", () => {
    const log = new RunnerLog()
    const app = log.logger()
    app.info('runner.connected', { runnerId: 'eu-1', address: '10.0.0.2' })
    app.info('runner.listener-started', { port: 4000 })
    log.appendOutput('Error: boom', 'local')
    app.warn('runner.dropped', { runnerId: 'us-1', reason: 'revoked' })
    app.warn('runner.silent', { runnerId: 'eu-1' })
    expect(log.query({ runnerId: 'eu-1' }).map((entry) => entry.event)).toEqual([
      'runner.connected',
      'runner.silent',
    ])
    expect(log.query({ runnerId: 'local' }).map((entry) => entry.event)).toEqual(['runner.output'])
    expect(log.query({ runnerId: 'us-1', level: 'error' })).toEqual([])
    expect(log.query()).toHaveLength(5)
  })

  it('writes every line to a file that rotates by size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bk-runner-log-'))
    const file = join(dir, 'logs', 'runner.log')
    const log = new RunnerLog({ file, maxFileBytes: 2000, keepFiles: 2 })
    for (let i = 0; i < 100; i++) log.append(line(`event.${i}`))
    expect(statSync(file).size).toBeLessThanOrEqual(2000)
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    const newest = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { event: string })
    expect(newest.at(-1)?.event).toBe('event.99')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })
})
