import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempPath } from './env-plan'
import { materialize, privateTempRoot, sweepStale } from './temp-files'

const runtimeDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bk-runtime-'))
  chmodSync(dir, 0o700)
  return dir
}

describe('exec temp files', () => {
  it('lives in $XDG_RUNTIME_DIR/bridgekeep, 0700, and refuses a folder open to others', () => {
    const runtime = runtimeDir()
    const root = privateTempRoot({ XDG_RUNTIME_DIR: runtime })
    expect(root).toBe(join(runtime, 'bridgekeep'))
    expect(statSync(root).mode & 0o777).toBe(0o700)
    chmodSync(root, 0o755)
    expect(() => privateTempRoot({ XDG_RUNTIME_DIR: runtime })).toThrow(/not a private folder/)
  })

  it('writes files 0600 in a fresh 0700 folder, resolves paths, and removes it all', () => {
    const root = privateTempRoot({ XDG_RUNTIME_DIR: runtimeDir() })
    const files = materialize(
      {
        set: { KEY: tempPath('key.json'), DIR: tempPath('docker'), PLAIN: 'x' },
        unset: [],
        files: [
          { path: 'key.json', content: '{"k":1}' },
          { path: 'docker/config.json', content: '{}' },
        ],
      },
      () => root,
    )
    expect(files.dir).toMatch(new RegExp(`^${root}/exec-${process.pid}-[0-9a-f]{12}$`))
    expect(files.set).toEqual({
      KEY: join(files.dir!, 'key.json'),
      DIR: join(files.dir!, 'docker'),
      PLAIN: 'x',
    })
    expect(statSync(files.dir!).mode & 0o777).toBe(0o700)
    expect(statSync(files.set.KEY!).mode & 0o777).toBe(0o600)
    expect(statSync(join(files.dir!, 'docker')).mode & 0o777).toBe(0o700)
    expect(statSync(join(files.dir!, 'docker', 'config.json')).mode & 0o777).toBe(0o600)
    expect(readFileSync(files.set.KEY!, 'utf8')).toBe('{"k":1}')
    files.cleanup()
    files.cleanup()
    expect(existsSync(files.dir!)).toBe(false)
    expect(readdirSync(root)).toEqual([])
  })

  it('creates nothing when there are no files', () => {
    const root = privateTempRoot({ XDG_RUNTIME_DIR: runtimeDir() })
    const files = materialize({ set: { A: 'b' }, unset: [], files: [] }, () => root)
    expect(files).toMatchObject({ set: { A: 'b' } })
    expect(files.dir).toBeUndefined()
    expect(readdirSync(root)).toEqual([])
  })

  it('sweeps folders left by runs whose process is gone (killed with SIGKILL)', () => {
    const root = privateTempRoot({ XDG_RUNTIME_DIR: runtimeDir() })
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    })
    const stale = join(root, `exec-${dead.stdout}-aaaaaaaaaaaa`)
    const live = join(root, `exec-${process.pid}-bbbbbbbbbbbb`)
    const other = join(root, 'unrelated')
    for (const dir of [stale, live, other]) mkdirSync(dir)
    sweepStale(root)
    expect(readdirSync(root).sort()).toEqual([`exec-${process.pid}-bbbbbbbbbbbb`, 'unrelated'])
  })
})
