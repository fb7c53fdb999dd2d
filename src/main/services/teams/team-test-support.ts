import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { loadAge } from '../sharing/age-file'
import { CHANGE_DOMAIN, type ChangeBody, type ChangeKind, type TeamRole } from './change-chain'
import { canonicalJson, GENESIS, signRow, type SignedRow } from './signed-chain'

/** A vault identity for tests: both key pairs, as a member's vault holds them. */
export interface TestIdentity {
  name: string
  signingKey: string
  key: KeyObject
  ageRecipient: string
  ageIdentity: string
}

export async function testIdentity(name: string): Promise<TestIdentity> {
  const { generateX25519Identity, identityToRecipient } = await loadAge()
  const ageIdentity = await generateX25519Identity()
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  return {
    name,
    signingKey: publicKey.export({ format: 'jwk' }).x!,
    key: privateKey,
    ageRecipient: await identityToRecipient(ageIdentity),
    ageIdentity,
  }
}

/**
 * `prevHash`: what the row claims to follow (the head by default); `advance: false` for a row
 * the replay is expected to refuse, which honest writers then do not build on.
 */
interface WriteOptions {
  prevHash?: string
  advance?: boolean
}

/** Builds a change log row by row, as honest clients write it (each on the previous head). */
export class TestLog {
  readonly rows: SignedRow[] = []
  head = GENESIS

  constructor(readonly teamId: string) {}

  found(founder: TestIdentity, name = 'platform', options: WriteOptions = {}): SignedRow {
    const { signingKey, ageRecipient } = founder
    return this.write(
      founder,
      'team.found',
      { name, founder: { signingKey, ageRecipient, name: founder.name } },
      options,
    )
  }

  add(
    author: TestIdentity,
    member: TestIdentity,
    role: TeamRole,
    options: WriteOptions = {},
  ): SignedRow {
    const { signingKey, ageRecipient, name } = member
    return this.write(author, 'member.add', { signingKey, ageRecipient, name, role }, options)
  }

  write<K extends ChangeKind>(
    author: TestIdentity,
    kind: K,
    body: ChangeBody<K>,
    options: WriteOptions = {},
  ): SignedRow {
    const row = signRow(
      CHANGE_DOMAIN,
      {
        teamId: this.teamId,
        seq: (this.rows.at(-1)?.seq ?? 0) + 1,
        author: author.signingKey,
        kind,
        body: canonicalJson(body),
        prevHash: options.prevHash ?? this.head,
      },
      author.key,
    )
    this.rows.push(row)
    if (options.advance !== false) this.head = row.hash
    return row
  }
}

/** One identity per name, made in parallel. */
export async function testIdentities<const N extends readonly string[]>(
  ...names: N
): Promise<{ [K in keyof N]: TestIdentity }> {
  return (await Promise.all(names.map((name) => testIdentity(name)))) as {
    [K in keyof N]: TestIdentity
  }
}

/** The AWS session of a team runner's answer (a test fails on another kind). */
export function awsSessionOf<T extends { kind: string }>(
  issued: T,
): Extract<T, { kind: 'aws-session' }> {
  if (issued.kind !== 'aws-session') throw new Error(`Expected an AWS session, not ${issued.kind}.`)
  return issued as Extract<T, { kind: 'aws-session' }>
}
