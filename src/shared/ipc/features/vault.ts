import { z } from 'zod'
import { errorCodes } from '../../errors'
import { channel } from '../define'

const secretText = z.string().max(1024, 'That is longer than any passphrase or recovery key.')

export const vaultStatusSchema = z.object({
  state: z.enum(['missing', 'locked', 'unlocked']),
  vaultId: z.string().optional(),
  createdAt: z.string().optional(),
  mode: z.enum(['keychain', 'passphrase']).optional(),
  lastError: z
    .object({ code: z.enum(errorCodes), message: z.string(), hint: z.string().optional() })
    .optional(),
})
export type VaultStatusView = z.infer<typeof vaultStatusSchema>

export const createVaultSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('keychain') }).strict(),
  z.object({ mode: z.literal('passphrase'), passphrase: secretText }).strict(),
])

export const unlockSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('keychain') }).strict(),
  z.object({ method: z.literal('passphrase'), passphrase: secretText }).strict(),
  z.object({ method: z.literal('recovery'), recoveryKey: secretText }).strict(),
])

export const rewrapSchema = z.discriminatedUnion('with', [
  z.object({ with: z.literal('keychain') }).strict(),
  z.object({ with: z.literal('passphrase'), passphrase: secretText }).strict(),
])

/** The recovery key, shown once: the only output of these channels that is secret. */
const recoveryKeyOutput = z.object({ recoveryKey: z.string() })

export const vaultChannels = {
  status: channel(z.undefined(), vaultStatusSchema),
  create: channel(createVaultSchema, recoveryKeyOutput),
  unlock: channel(unlockSchema, z.object({ resealedKeychain: z.boolean() })),
  lock: channel(z.undefined(), vaultStatusSchema),
  rewrap: channel(rewrapSchema, vaultStatusSchema),
  reencrypt: channel(z.object({ passphrase: secretText.optional() }).strict(), recoveryKeyOutput),
}

export const vaultEvents = {
  /** Locked, unlocked, created: every window follows. */
  changed: vaultStatusSchema,
  /**
   * The vault's data changed outside the window's own calls (the CLI, the agent, another app on
   * the same vault): screens showing vault data fetch it again.
   */
  dataChanged: z.object({}).strict(),
}
