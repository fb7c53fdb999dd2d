import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../log'
import { freshServices } from '../../../../test/services'
import { AwsConfigProfiles } from './aws-config-profiles'

const EXISTING = [
  '# my settings; do not lose this comment',
  '[default]',
  'region = us-east-1',
  'output=json   ',
  '',
  ';   an old-style comment before a profile',
  '[profile  prod-aws-production]  # mine, not bridgekeep’s',
  'aws_access_key_id = AKIAOLDOLDOLD',
  'region = eu-central-1',
  '',
  '# the next profile is for CI',
  '[profile ci]',
  'role_arn = arn:aws:iam::123456789012:role/ci',
  'source_profile = default',
].join('\r\n')

const request = {
  profile: 'prod-aws-production',
  connection: 'prod-aws',
  environment: 'production',
  region: 'eu-west-1',
}

function setup(content?: string) {
  const home = mkdtempSync(join(tmpdir(), 'bk-awscfg-'))
  const path = join(home, '.aws', 'config')
  if (content !== undefined) {
    mkdirSync(join(home, '.aws'))
    writeFileSync(path, content, { mode: 0o644 })
  }
  return { home, path, profiles: new AwsConfigProfiles({ log: memoryLogger(), home, env: {} }) }
}

describe('AwsConfigProfiles: one profile written into ~/.aws/config, nothing else touched', () => {
  it('appends a new profile after the file’s own bytes, with its line ends and mode', () => {
    const { path, profiles } = setup(EXISTING)
    const preview = profiles.preview({ ...request, profile: 'staging' })
    expect(preview).toEqual({
      path,
      profile: 'staging',
      section: [
        '[profile staging]',
        'credential_process = bridgekeep aws credential-process prod-aws --env production',
        'region = eu-west-1',
      ].join('\n'),
      exists: false,
    })
    expect(readFileSync(path, 'utf8')).toBe(EXISTING) // a preview writes nothing

    expect(profiles.write({ ...request, profile: 'staging' })).toEqual({
      path,
      profile: 'staging',
      replaced: false,
    })
    const written = readFileSync(path, 'utf8')
    expect(written.startsWith(EXISTING)).toBe(true)
    expect(written.slice(EXISTING.length)).toBe(
      '\r\n\r\n[profile staging]\r\ncredential_process = bridgekeep aws credential-process prod-aws --env production\r\nregion = eu-west-1\r\n',
    )
    expect(statSync(path).mode & 0o777).toBe(0o644)
    expect(readdirSync(join(path, '..'))).toEqual(['config']) // no temporary file left
  })

  it('refuses a profile that is already there, and replaces only that section when told to', () => {
    const { path, profiles } = setup(EXISTING)
    expect(profiles.preview(request).exists).toBe(true)
    expect(() => profiles.write(request)).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: `${path} already has a profile named "prod-aws-production".`,
      }),
    )
    expect(readFileSync(path, 'utf8')).toBe(EXISTING)

    expect(profiles.write({ ...request, replace: true })).toMatchObject({ replaced: true })
    const expected = EXISTING.replace(
      '[profile  prod-aws-production]  # mine, not bridgekeep’s\r\naws_access_key_id = AKIAOLDOLDOLD\r\nregion = eu-central-1\r\n',
      '[profile prod-aws-production]\r\ncredential_process = bridgekeep aws credential-process prod-aws --env production\r\nregion = eu-west-1\r\n',
    )
    expect(expected).not.toBe(EXISTING)
    expect(readFileSync(path, 'utf8')).toBe(expected)
    // Writing the same again is a replacement of identical bytes.
    profiles.write({ ...request, replace: true })
    expect(readFileSync(path, 'utf8')).toBe(expected)
  })

  it('replaces the last section of a file that ends without a line end, and [default]', () => {
    const text = '[default]\nregion = us-east-1\n\n[profile last]\nregion = x'
    const { path, profiles } = setup(text)
    profiles.write({ ...request, profile: 'last', region: undefined, replace: true })
    expect(readFileSync(path, 'utf8')).toBe(
      '[default]\nregion = us-east-1\n\n[profile last]\ncredential_process = bridgekeep aws credential-process prod-aws --env production',
    )
    profiles.write({ ...request, profile: 'default', replace: true })
    expect(readFileSync(path, 'utf8')).toMatch(
      /^\[default\]\ncredential_process = .*\nregion = eu-west-1\n\n\[profile last\]\n/,
    )
  })

  it('creates ~/.aws (0700) and the file (0600) when there is none; writes through a symlink to its target', () => {
    const { home, path, profiles } = setup()
    profiles.write(request)
    expect(statSync(join(home, '.aws')).mode & 0o777).toBe(0o700)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8')).toBe(
      '[profile prod-aws-production]\ncredential_process = bridgekeep aws credential-process prod-aws --env production\nregion = eu-west-1\n',
    )

    const linked = setup()
    const dotfiles = mkdtempSync(join(tmpdir(), 'bk-dotfiles-'))
    writeFileSync(join(dotfiles, 'aws-config'), '[profile a]\nregion = x\n')
    mkdirSync(join(linked.home, '.aws'))
    symlinkSync(join(dotfiles, 'aws-config'), linked.path)
    linked.profiles.write(request)
    expect(lstatSync(linked.path).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dotfiles, 'aws-config'), 'utf8')).toMatch(
      /^\[profile a\]\nregion = x\n\n\[profile prod-aws-production\]\n/,
    )
  })

  it('follows AWS_CONFIG_FILE, as the AWS CLI does', () => {
    const { home } = setup()
    const elsewhere = join(home, 'elsewhere', 'aws-config')
    const profiles = new AwsConfigProfiles({
      log: memoryLogger(),
      home,
      env: { AWS_CONFIG_FILE: elsewhere },
    })
    expect(profiles.write(request).path).toBe(elsewhere)
    expect(readFileSync(elsewhere, 'utf8')).toContain('[profile prod-aws-production]')
  })

  it('refuses names that could break the file out of its section, through the IPC contract', async () => {
    const { call } = freshServices()
    for (const bad of [
      { ...request, profile: 'x]\n[profile evil' },
      { ...request, connection: 'prod\ncredential_process = evil' },
      { ...request, environment: 'prod --env x' },
      { ...request, region: 'eu-west-1\nx' },
    ]) {
      expect(await call('awsConfig:previewProfile', bad)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION' },
      })
    }
  })
})
