import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname } from 'node:path'
import type { z } from 'zod'
import {
  awsProfileRequestSchema,
  awsProfileWriteSchema,
  profileSection,
  type AwsProfilePreview,
  type AwsProfileWritten,
} from '../../../shared/aws-profile'
import { BridgekeepError } from '../../../shared/errors'
import { parseInput } from '../../../shared/validation'
import { writeFileAtomic } from '../../fs/atomic-write'
import { readTextFileLimited } from '../../fs/bounded-read'
import type { Logger } from '../../log'
import { awsFiles } from '../imports/aws-profiles'
import { hasProfile, withProfile } from './aws-config-text'

type ProfileRequest = z.input<typeof awsProfileRequestSchema>

export interface AwsConfigProfilesOptions {
  log: Logger
  /** Where ~/.aws is (tests and the e2e host point it at a home of their own). */
  home?: string
  /** AWS_CONFIG_FILE, when set, names the file instead, as for the AWS CLI. */
  env?: Record<string, string | undefined>
}

/**
 * The Use it panel's "Add to ~/.aws/config": a profile whose credentials come from
 * `bridgekeep aws credential-process`, shown first (preview) and then written as one section,
 * every other line of the file left byte for byte. A profile of that name already there is
 * replaced only when the user said so. The file holds no secret from the vault: the command
 * fetches the keys each time the AWS CLI asks.
 */
export class AwsConfigProfiles {
  constructor(private readonly options: AwsConfigProfilesOptions) {}

  private path(): string {
    return awsFiles(this.options.home ?? homedir(), this.options.env ?? process.env).configPath
  }

  preview(raw: ProfileRequest): AwsProfilePreview {
    const request = parseInput(awsProfileRequestSchema, raw)
    const path = this.path()
    return {
      path,
      profile: request.profile,
      section: profileSection(request).join('\n'),
      exists: hasProfile(this.read(path), request.profile),
    }
  }

  write(raw: z.input<typeof awsProfileWriteSchema>): AwsProfileWritten {
    const request = parseInput(awsProfileWriteSchema, raw)
    const path = this.path()
    const text = this.read(path)
    const exists = hasProfile(text, request.profile)
    if (exists && request.replace !== true) {
      throw new BridgekeepError(
        'CONFLICT',
        `${path} already has a profile named "${request.profile}".`,
        'Nothing was changed. Choose another profile name, or confirm replacing just that profile.',
      )
    }
    // Through a symlink (dotfiles kept elsewhere) to the file it leads to, which stays a link.
    const target = existsSync(path) ? realpathSync(path) : path
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 })
    const mode = existsSync(target) ? statSync(target).mode & 0o777 : 0o600
    writeFileAtomic(target, withProfile(text, request.profile, profileSection(request)), mode)
    this.options.log.info('aws-config.profile-written', { replaced: exists })
    return { path, profile: request.profile, replaced: exists }
  }

  private read(path: string): string {
    if (!existsSync(path)) return ''
    return readTextFileLimited(path, { what: 'an AWS config file' })
  }
}
