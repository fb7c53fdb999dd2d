import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { personNameSchema } from '../../../shared/sharing'
import type { UnlockedIdentity } from '../sharing/identity'
import { CHANGE_DOMAIN, type TeamMember } from './change-chain'
import { canonicalJson, GENESIS, signRow, type SignedRow } from './signed-chain'
import { teamAuditEntry } from './team-audit'

/** What founding a team writes, all signed by the founder: written in one transaction. */
export interface TeamFounding {
  id: string
  founder: TeamMember
  change: SignedRow
  audit: { entry: SignedRow; at: string }
}

/** A new team's founding change and first audit entry, with this vault as its first admin. */
export function teamFounding(me: UnlockedIdentity, name: string, at: string): TeamFounding {
  // The founding change carries the founder's name; members' clients refuse one that is not
  // a valid person name, so it is checked before anything is written.
  if (!personNameSchema.safeParse(me.name).success)
    throw new BridgekeepError(
      'VALIDATION',
      "Your share identity's name cannot name a team founder (at most 60 printable characters).",
      'Set it first: bridgekeep share identity --name "<your name>"',
    )
  const id = randomUUID()
  const { signingKey, ageRecipient } = me.address
  const founder: TeamMember = {
    signingKey,
    ageRecipient,
    name: me.name,
    role: 'admin',
    sinceSeq: 1,
  }
  const change = signRow(
    CHANGE_DOMAIN,
    {
      teamId: id,
      seq: 1,
      author: signingKey,
      kind: 'team.found',
      body: canonicalJson({ name, founder: { signingKey, ageRecipient, name: me.name } }),
      prevHash: GENESIS,
    },
    me.signingKey,
  )
  const actor = { signingKey, key: me.signingKey }
  const entry = teamAuditEntry(id, undefined, actor, 'team.found', `Founded by ${me.name}`, at)
  return { id, founder, change, audit: { entry, at } }
}
