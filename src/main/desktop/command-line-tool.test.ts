import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  commandLineToolStatus,
  installCommandLineTool,
  packagedExecutable,
  type ToolPlaces,
} from './command-line-tool'

/** A packaged app's resources with a runnable `bridgekeep`, a home, and a system bin folder. */
function places(overrides: Partial<ToolPlaces> = {}): ToolPlaces {
  const root = mkdtempSync(join(tmpdir(), 'bk-tool-'))
  const executable = packagedExecutable(join(root, 'resources'), true, 'linux')!
  mkdirSync(join(root, 'resources', 'cli'), { recursive: true })
  writeFileSync(executable, '#!/bin/sh\necho "bridgekeep from resources $*"\n')
  chmodSync(executable, 0o755)
  mkdirSync(join(root, 'home'))
  return {
    executable,
    platform: 'linux',
    home: join(root, 'home'),
    pathVariable: '/usr/bin:/bin',
    // Not there: this user cannot write it, so the install goes to ~/.local/bin.
    systemBin: join(root, 'no-system-bin'),
    ...overrides,
  }
}

describe('the command-line tool on PATH (real folders)', () => {
  it('links ~/.local/bin/bridgekeep to the executable, creating the folder, and says it is not on PATH', () => {
    const at = places()
    const link = join(at.home, '.local', 'bin', 'bridgekeep')
    expect(commandLineToolStatus(at)).toEqual({
      state: 'not-installed',
      link,
      executable: at.executable,
    })
    const installed = installCommandLineTool(at, { replace: false })
    expect(installed).toMatchObject({ state: 'installed', link, onPath: false })
    expect(installed.state === 'installed' && installed.note).toContain(
      `export PATH="${join(at.home, '.local', 'bin')}:$PATH"`,
    )
    expect(readlinkSync(link)).toBe(at.executable)
    // The link runs the packaged program, and nothing else is left in the folder.
    expect(spawnSync(link, ['status'], { encoding: 'utf8' }).stdout).toBe(
      'bridgekeep from resources status\n',
    )
    expect(readdirSync(join(at.home, '.local', 'bin'))).toEqual(['bridgekeep'])
    // Installing again changes nothing.
    expect(installCommandLineTool(at, { replace: false })).toEqual(installed)
  })

  it('uses the system folder when it is writable, and knows a folder on PATH', () => {
    const at = places()
    const systemBin = join(at.home, 'usr-local-bin')
    mkdirSync(systemBin)
    const withSystem = { ...at, systemBin, pathVariable: `/usr/bin:${systemBin}` }
    expect(installCommandLineTool(withSystem, { replace: false })).toEqual({
      state: 'installed',
      link: join(systemBin, 'bridgekeep'),
      executable: at.executable,
      onPath: true,
    })
  })

  it('refuses to replace another file or link without confirmation, then replaces it atomically', () => {
    const at = places()
    const folder = join(at.home, '.local', 'bin')
    mkdirSync(folder, { recursive: true })
    const link = join(folder, 'bridgekeep')
    writeFileSync(link, 'someone else’s script\n')
    expect(commandLineToolStatus(at)).toEqual({
      state: 'conflict',
      link,
      executable: at.executable,
      existing: 'a file',
    })
    expect(() => installCommandLineTool(at, { replace: false })).toThrow(
      `${link} already exists (a file), and it is not Bridgekeep's command-line tool.`,
    )
    expect(readFileSync(link, 'utf8')).toBe('someone else’s script\n')
    expect(installCommandLineTool(at, { replace: true }).state).toBe('installed')
    expect(readlinkSync(link)).toBe(at.executable)
    expect(readdirSync(folder)).toEqual(['bridgekeep'])
  })

  it('replaces a link to another program without touching that program', () => {
    const at = places()
    const folder = join(at.home, '.local', 'bin')
    mkdirSync(folder, { recursive: true })
    const other = join(at.home, 'other-bridgekeep')
    writeFileSync(other, 'old version\n')
    symlinkSync(other, join(folder, 'bridgekeep'))
    expect(commandLineToolStatus(at)).toMatchObject({
      state: 'conflict',
      existing: `a link to ${other}`,
    })
    installCommandLineTool(at, { replace: true })
    expect(readlinkSync(join(folder, 'bridgekeep'))).toBe(at.executable)
    expect(readFileSync(other, 'utf8')).toBe('old version\n')
  })

  it('never replaces a folder, even when confirmed', () => {
    const at = places()
    mkdirSync(join(at.home, '.local', 'bin', 'bridgekeep'), { recursive: true })
    expect(() => installCommandLineTool(at, { replace: true })).toThrow('is a folder')
    expect(lstatSync(join(at.home, '.local', 'bin', 'bridgekeep')).isDirectory()).toBe(true)
  })

  it('is unavailable in a source checkout, and in a build without the executable', () => {
    const checkout = places({ executable: undefined })
    expect(commandLineToolStatus(checkout)).toMatchObject({
      state: 'unavailable',
      hint: expect.stringContaining('node bin/bridgekeep.cjs'),
    })
    expect(() => installCommandLineTool(checkout, { replace: false })).toThrow('source checkout')
    const broken = places({ executable: '/nowhere/cli/bridgekeep' })
    expect(commandLineToolStatus(broken)).toMatchObject({
      state: 'unavailable',
      reason: 'This build of Bridgekeep has no command-line tool at /nowhere/cli/bridgekeep.',
    })
  })

  it('on Windows, says how to put the executable’s folder on the user PATH', () => {
    const at = places({ platform: 'win32' })
    const status = commandLineToolStatus(at)
    expect(status).toMatchObject({ state: 'not-installed' })
    expect(status.state === 'not-installed' && status.note).toContain(
      "[Environment]::SetEnvironmentVariable('Path'",
    )
    expect(() => installCommandLineTool(at, { replace: false })).toThrow('Add ')
    expect(packagedExecutable('C:\\Bridgekeep\\resources', true, 'win32')).toMatch(
      /bridgekeep\.exe$/,
    )
    expect(packagedExecutable('/opt/Bridgekeep/resources', false, 'linux')).toBeUndefined()
  })
})
