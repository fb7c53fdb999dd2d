import { BridgekeepError } from '../../../shared/errors'
import type { Contact } from '../../../shared/sharing'
import { fingerprintOf } from '../sharing/share-address'
import { changeBodies } from './change-chain'
import type { SignedRow } from './signed-chain'

const normal = (fingerprint: string) => fingerprint.replace(/\s+/g, '').toUpperCase()

/**
 * The founder's signing key a joining vault pins, read from the founding change the database
 * holds, but accepted only when something outside the database vouches for it: the fingerprint
 * the user compared with the founder (`given`), or a verified contact with the same keys. The
 * replay then checks the founding change's signature against the pinned key.
 */
export function pinFounder(
  changes: readonly SignedRow[],
  given: string | undefined,
  contacts: readonly Contact[],
): string {
  const founding = changes.find((c) => c.seq === 1 && c.kind === 'team.found')
  let parsed
  try {
    parsed = changeBodies['team.found'].safeParse(JSON.parse(founding?.body ?? 'null'))
  } catch {
    parsed = undefined
  }
  if (!parsed?.success)
    throw new BridgekeepError(
      'TEAM_TAMPERED',
      "The team's founding change is missing or unreadable in the database.",
      'Nothing in this team can be trusted from this database. Ask the founder to check it and its backups.',
    )
  const claimed = parsed.data.founder
  const fingerprint = fingerprintOf(claimed.ageRecipient, claimed.signingKey)
  const vouched =
    given === undefined
      ? contacts.some((c) => c.verifiedAt && normal(c.fingerprint) === normal(fingerprint))
      : normal(given) === normal(fingerprint)
  if (vouched) return claimed.signingKey
  throw new BridgekeepError(
    'VALIDATION',
    given === undefined
      ? `To join, this vault must pin the team's founder. The database says the founder is "${claimed.name}" with fingerprint ${fingerprint}; nothing vouches for that yet.`
      : `The founder's fingerprint in the team database (${fingerprint}) is not the one given (${given.slice(0, 40)}): this database's founder is not who you expected.`,
    given === undefined
      ? 'Compare that fingerprint with the founder aloud or in person (they see theirs with bridgekeep share identity), then run team join again with --founder "<fingerprint>".'
      : 'Do not join: check the database and the fingerprint with the founder.',
  )
}
