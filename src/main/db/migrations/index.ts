import { vault001 } from './001-vault'
import { environments002 } from './002-environments'
import { runner003 } from './003-runner'
import { sharing004 } from './004-sharing'
import { health005 } from './005-health'
import { auditSeal006 } from './006-audit-seal'
import { usageWithoutChecks007 } from './007-usage-without-checks'
import { identityNameChosen008 } from './008-identity-name-chosen'
import { shortLivedOnly009 } from './009-short-lived-only'
import { receivedShareSource010 } from './010-received-share-source'
import { runnerNames011 } from './011-runner-names'
import { checkWarnings012 } from './012-check-warnings'
import { teamSpaces013 } from './013-team-spaces'
import { teamConnectionCache014 } from './014-team-connection-cache'
import { teamRotations015 } from './015-team-rotations'
import { teamCheckpoints016 } from './016-team-checkpoints'
import type { Migration } from './types'

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  vault001,
  environments002,
  runner003,
  sharing004,
  health005,
  auditSeal006,
  usageWithoutChecks007,
  identityNameChosen008,
  shortLivedOnly009,
  receivedShareSource010,
  runnerNames011,
  checkWarnings012,
  teamSpaces013,
  teamConnectionCache014,
  teamRotations015,
  teamCheckpoints016,
]

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0
