import { randomBytes, scrypt } from 'node:crypto'
import { z } from 'zod'
import { BridgekeepError } from '../../shared/errors'
import { loadPassphraseEstimator } from '../../shared/passphrase-strength'
import { DATA_KEY_BYTES } from './envelope'

/**
 * Passphrase mode, for machines with no keychain: scrypt turns the passphrase into a key that
 * wraps the data key. The parameters are stored beside the wrapped key, so they can be raised
 * later without breaking existing vaults.
 */

export interface KdfParams {
  algorithm: 'scrypt'
  N: number
  r: number
  p: number
  keyLength: number
  /** base64 */
  salt: string
}

// N = 2^17, r = 8 needs 128 MiB and takes about 0.4 s on a two-core EPYC runner (measured): slow
// enough to hurt guessing, quick enough for an unlock.
const DEFAULT_N = 2 ** 17
const DEFAULT_R = 8
const DEFAULT_P = 1
const SALT_BYTES = 16

// Bounds for parameters read back from the database. A tampered row must not be able to make an
// unlock allocate gigabytes or spin for minutes. Lower bounds are loose on purpose: weaker
// parameters only help someone who already has the database, and tests use small N.
const MIN_LOG2_N = 10
const MAX_LOG2_N = 20
const MAX_MEMORY = 1024 * 1024 * 1024 // 1 GiB, the scrypt working set 128 * N * r
const MAX_P = 4

export function newKdfParams(): KdfParams {
  return {
    algorithm: 'scrypt',
    N: DEFAULT_N,
    r: DEFAULT_R,
    p: DEFAULT_P,
    keyLength: DATA_KEY_BYTES,
    salt: randomBytes(SALT_BYTES).toString('base64'),
  }
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const kdfParamsSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .refine((n) => isPowerOfTwo(n) && n >= 2 ** MIN_LOG2_N && n <= 2 ** MAX_LOG2_N, {
        message: `N must be a power of two from 2^${MIN_LOG2_N} to 2^${MAX_LOG2_N}`,
      }),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(MAX_P),
    keyLength: z.literal(DATA_KEY_BYTES),
    salt: z
      .string()
      .regex(base64, 'salt must be base64')
      .refine((salt) => {
        const bytes = Buffer.from(salt, 'base64').length
        return bytes >= SALT_BYTES && bytes <= 64
      }, `salt must be ${SALT_BYTES} to 64 bytes`),
  })
  .strict()
  .refine((params) => 128 * params.N * params.r <= MAX_MEMORY, {
    message: 'N and r together need more than 1 GiB of memory',
  })

/** The passphrase's key under `params`. Refuses parameters no Bridgekeep ever wrote. */
export async function derivePassphraseKey(passphrase: string, params: KdfParams): Promise<Buffer> {
  const parsed = kdfParamsSchema.safeParse(params)
  if (!parsed.success) {
    // Name the rule, never the values: the problem is the stored settings, not the passphrase.
    const problems = parsed.error.issues.map((issue) => issue.message).join('; ')
    throw new BridgekeepError(
      'VAULT_INTEGRITY',
      `The vault's passphrase settings are damaged or were tampered with (${problems}).`,
      'Unlock with your recovery key (in the app: Use recovery key; from the CLI: --recovery-key), then set the passphrase again.',
    )
  }
  const { N, r, p, keyLength, salt } = parsed.data
  // Passphrases typed on different keyboards or OSes can differ only in Unicode composition
  // ("é" as one code point or two); NFKC makes them the same bytes.
  const secret = Buffer.from(passphrase.normalize('NFKC'), 'utf8')
  // Node refuses above 32 MiB by default; scrypt needs 128 * N * r bytes plus a little.
  const maxmem = 128 * N * r + 128 * r * p + 1024 * 1024
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      scrypt(secret, Buffer.from(salt, 'base64'), keyLength, { N, r, p, maxmem }, (error, key) =>
        error ? reject(error) : resolve(key),
      )
    })
  } finally {
    secret.fill(0)
  }
}

/**
 * Why a new passphrase is too weak, or null when it will do. The rule is the renderer's meter's
 * (src/shared/passphrase-strength.ts: a few structural rules, then zxcvbn), whose word lists are
 * loaded on the first call only: every start of the CLI would pay for them otherwise. Only for
 * choosing a passphrase: unlocking never applies these rules, so tightening them cannot lock
 * anyone out.
 */
export async function checkPassphrase(passphrase: string): Promise<string | null> {
  const strength = (await loadPassphraseEstimator()).rate(passphrase)
  return strength.acceptable ? null : strength.advice
}

function isPowerOfTwo(n: number): boolean {
  return n > 1 && Number.isSafeInteger(n) && Number.isInteger(Math.log2(n))
}
