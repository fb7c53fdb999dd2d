import { z } from 'zod'
import { safeText } from './text'

/**
 * Sharing, as the renderer and main agree on it: identity, contacts, export, import preview and
 * apply, and the record of shares sent. No schema here ever carries a connection's secret: a
 * share's payload is built, signed and encrypted in main, and only leaves it as age ciphertext.
 */

/** How long a share stays valid unless chosen otherwise. */
export const DEFAULT_SHARE_DAYS = 7
export const MAX_SHARE_DAYS = 365
/** Connections in one share (a team's whole set fits; bench/share.ts exports 1,000). */
export const MAX_SHARE_CONNECTIONS = 5000
/** A share passphrase is for someone to type: long enough to resist guessing offline. */
export const MIN_SHARE_PASSPHRASE = 12
/** Base64 of the largest .bkshare accepted (far above 5,000 connections). */
export const MAX_SHARE_FILE_BASE64 = 64 * 1024 * 1024

const id = z.string().min(1).max(100)
/**
 * A person's name: a contact's, and the name this vault sends with its shares (a share's sender
 * name is checked with it on import).
 */
export const personNameSchema = safeText(
  z
    .string()
    .trim()
    .min(1, 'Name: required, e.g. "Alice (platform team)".')
    .max(60, 'Name: at most 60 characters.'),
  'Name:',
)
const personName = personNameSchema
const address = z
  .string()
  .trim()
  .min(1, 'Share address: required. Ask your teammate for theirs (Sharing, Your identity).')
  .max(300, 'Share address: at most 300 characters; paste exactly what your teammate sent.')

export const identitySchema = z.object({
  /** The name sent with every share: how recipients see this vault. */
  name: z.string(),
  /** False while the name is still the OS user name the identity started with. */
  nameChosen: z.boolean(),
  /** `bkshare1:<age recipient>:<Ed25519 public key, base64url>:<checksum>`. */
  address: z.string(),
  /** Ten bytes of SHA-256 over both public keys, as five groups of four hex digits. */
  fingerprint: z.string(),
  /** The age recipient (age1...) on its own, for tools that encrypt to it directly. */
  ageRecipient: z.string(),
  createdAt: z.string(),
})
export type SharingIdentity = z.infer<typeof identitySchema>

export const setNameSchema = z.object({ name: personName }).strict()

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  fingerprint: z.string(),
  /** Set once the fingerprint was compared aloud (or in person) and matched. */
  verifiedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Contact = z.infer<typeof contactSchema>

export const contactInputSchema = z.object({ name: personName, address }).strict()
export type ContactInput = z.input<typeof contactInputSchema>

export const checkAddressSchema = z.object({ address }).strict()
export const addressCheckSchema = z.object({
  fingerprint: z.string(),
  /** The contact already holding these keys, if any. */
  existingContact: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The address is this vault's own. */
  own: z.boolean(),
})
export type AddressCheck = z.infer<typeof addressCheckSchema>

export const verifyContactSchema = z.object({ id, verified: z.boolean() }).strict()

const environmentName = safeText(z.string().trim().min(1).max(40), 'Environments: a name')

export const exportTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('contacts'),
      contactIds: z.array(id).min(1, 'Recipients: choose at least one contact.').max(100),
    })
    .strict(),
  z
    .object({
      kind: z.literal('passphrase'),
      passphrase: z
        .string()
        .min(
          MIN_SHARE_PASSPHRASE,
          `Passphrase: at least ${MIN_SHARE_PASSPHRASE} characters; four or five random words work well.`,
        )
        .max(1000, 'Passphrase: at most 1,000 characters.'),
    })
    .strict(),
])
export type ExportTarget = z.input<typeof exportTargetSchema>

export const exportInputSchema = z
  .object({
    connectionIds: z
      .array(id)
      .min(1, 'Connections: choose at least one connection to share.')
      .max(MAX_SHARE_CONNECTIONS, `Connections: at most ${MAX_SHARE_CONNECTIONS} in one share.`),
    to: exportTargetSchema,
    /** Environment names the recipient may use the connections in (this vault's names). */
    environments: z
      .array(environmentName)
      .min(1, 'Environments: choose at least one environment the recipient may use it in.')
      .max(100),
    expiresInDays: z
      .number()
      .int('Expiry: whole days.')
      .min(1, 'Expiry: at least one day.')
      .max(MAX_SHARE_DAYS, `Expiry: at most ${MAX_SHARE_DAYS} days.`)
      .default(DEFAULT_SHARE_DAYS),
    /** On by default: the recipient's app uses the secret but never shows or re-shares it. */
    useOnly: z.boolean().default(true),
  })
  .strict()
export type ExportInput = z.input<typeof exportInputSchema>

export const exportResultSchema = z.object({
  shareId: z.string(),
  /** A suggested file name, `*.bkshare`. */
  filename: z.string(),
  /** The age file (binary), base64. */
  data: z.string(),
  /** The same file ASCII-armored, to paste into a chat or an email. */
  armored: z.string(),
  expiresAt: z.string(),
  connectionCount: z.number().int(),
})
export type ExportResult = z.infer<typeof exportResultSchema>

/** A share to open: the file (base64) or armored text, and its passphrase if it has one. */
export const shareSourceSchema = z
  .object({
    file: z.string().max(MAX_SHARE_FILE_BASE64).optional(),
    text: z.string().max(MAX_SHARE_FILE_BASE64).optional(),
    passphrase: z.string().max(1000).optional(),
  })
  .strict()
  .refine((source) => (source.file === undefined) !== (source.text === undefined), {
    message: 'Give either the share file or its armored text.',
  })
export type ShareSourceInput = z.input<typeof shareSourceSchema>

/**
 * What the signature says about the sender:
 * - verified: a contact whose fingerprint was compared aloud;
 * - known: a contact, not yet verified;
 * - unknown: no contact has these keys (trusting adds one);
 * - changed: a contact of that name or age key now signs with other keys (trusting replaces them).
 */
export const senderTrusts = ['verified', 'known', 'unknown', 'changed'] as const
export type SenderTrust = (typeof senderTrusts)[number]

export const conflictActions = ['create', 'rename', 'replace', 'skip'] as const
export type ConflictAction = (typeof conflictActions)[number]

export const previewConnectionSchema = z.object({
  /** The slug in the share: the key of a choice. */
  slug: z.string(),
  name: z.string(),
  provider: z.string(),
  authMode: z.string(),
  labels: z.array(z.string()),
  /** The connection in this vault with the same slug, if any. */
  conflict: z
    .object({
      id: z.string(),
      name: z.string(),
      provider: z.string(),
      trashed: z.boolean(),
      useOnly: z.boolean(),
      /** Replace writes the shared secret as a new version of it: same provider, not trashed. */
      canReplace: z.boolean(),
      whyNotReplace: z.string().optional(),
    })
    .nullable(),
  /**
   * The copy this vault imported earlier from the same signer's same connection: importing
   * replaces it as a new version, with no choice to make (then `conflict` is null).
   */
  update: z
    .object({
      id: z.string(),
      name: z.string(),
      fromVersion: z.number().int().nullable(),
      toVersion: z.number().int(),
    })
    .nullable(),
  /** A free name for "rename". */
  suggestedName: z.string(),
  /**
   * What tools run with it receive (providers/use-only-exchange.ts): short-lived credentials, or,
   * when `exposed`, the stored secret as it is, which use-only cannot hide.
   */
  toolsReceive: z.object({ exposed: z.boolean(), exchanged: z.boolean(), what: z.string() }),
  /**
   * It borrows the credentials of another connection, named by slug (ECR's or a state backend's
   * AWS or GCP connection): the provider of that connection, the slug the sender's copy names
   * (one of the sender's connections, or null), and the one of this vault a re-sent version keeps
   * (chosen when it was imported). Importing needs a choice (`borrow`) unless one is kept.
   */
  borrows: z
    .object({ provider: z.string(), named: z.string().nullable(), kept: z.string().nullable() })
    .nullable(),
  /**
   * What it names that this vault does not have (the sender's runner build-eu), each a sentence
   * saying how to provide it. It imports all the same; operations needing it fail until then.
   */
  missingHere: z.array(z.string()),
})
export type PreviewConnection = z.infer<typeof previewConnectionSchema>

export const sharePreviewSchema = z.object({
  shareId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  useOnly: z.boolean(),
  protectedBy: z.enum(['identity', 'passphrase']),
  sender: z.object({
    name: z.string(),
    address: z.string(),
    fingerprint: z.string(),
    trust: z.enum(senderTrusts),
    /** The matching contact (known, verified, changed). */
    contact: z.object({ id: z.string(), name: z.string(), fingerprint: z.string() }).nullable(),
  }),
  /** The scope, each with whether this vault has it (only those are authorized). */
  environments: z.array(
    z.object({ name: z.string(), exists: z.boolean(), protected: z.boolean() }),
  ),
  connections: z.array(previewConnectionSchema),
  /** Earlier imports of this very share (the same share id). */
  alreadyImported: z.number().int(),
})
export type SharePreview = z.infer<typeof sharePreviewSchema>

export const importChoiceSchema = z
  .object({
    slug: z.string().min(1).max(64),
    action: z.enum(conflictActions),
    /** For rename: the new connection's name (a free slug is derived from it). */
    name: safeText(z.string().trim().min(1).max(100), 'Name:').optional(),
    /**
     * For a connection that borrows another's credentials (preview `borrows`): the slug of the
     * connection of THIS vault it uses. The slug in the share names one of the sender's.
     */
    borrow: z.string().trim().toLowerCase().min(1).max(64).optional(),
  })
  .strict()
export type ImportChoice = z.input<typeof importChoiceSchema>

/** How to import a previewed share (the source travels beside it). */
export const importOptionsSchema = z
  .object({
    /** The preview's share id: the file must still be the one previewed. */
    shareId: id,
    /** Needed when the sender is unknown or changed: adds or updates the contact (TOFU). */
    trustSender: z.boolean().default(false),
    /** One per connection that conflicts; others default to create. */
    choices: z.array(importChoiceSchema).max(MAX_SHARE_CONNECTIONS).default([]),
    /** Needed when the scope names a protected environment: CONFIRMATION_REQUIRED otherwise. */
    confirmProtected: z.boolean().optional(),
  })
  .strict()
export type ImportOptions = z.input<typeof importOptionsSchema>

export const importApplySchema = importOptionsSchema.extend({ source: shareSourceSchema }).strict()
export type ImportApplyInput = z.input<typeof importApplySchema>

const importedRef = z.object({ id: z.string(), name: z.string(), slug: z.string() })
export const importResultSchema = z.object({
  created: z.array(importedRef),
  replaced: z.array(importedRef),
  /** Connections imported earlier from the same signer, replaced by the version re-sent. */
  updated: z.array(
    importedRef.extend({ fromVersion: z.number().int().nullable(), toVersion: z.number().int() }),
  ),
  skipped: z.array(z.string()),
  /** Environment names the imported connections were authorized for. */
  authorized: z.array(z.string()),
  /** Scope environments this vault does not have: nothing was authorized there. */
  missingEnvironments: z.array(z.string()),
  /** The contact added or updated by trusting the sender. */
  contact: z.object({ id: z.string(), name: z.string(), added: z.boolean() }).nullable(),
})
export type ImportResult = z.infer<typeof importResultSchema>

export const shareStatuses = ['outstanding', 'expired', 'revoked'] as const

export const shareRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  useOnly: z.boolean(),
  scope: z.array(z.string()),
  connections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      slug: z.string(),
      provider: z.string(),
      /** The secret version sent (absent for shares recorded before shares carried it). */
      version: z.number().int().optional(),
    }),
  ),
  recipients: z.array(
    z.object({ contactId: z.string(), name: z.string(), fingerprint: z.string() }),
  ),
  passphrase: z.boolean(),
  revokedAt: z.string().nullable(),
  status: z.enum(shareStatuses),
})
export type ShareRecord = z.infer<typeof shareRecordSchema>

/**
 * Who a re-send of a connection reaches: the recipients of its live shares that are still
 * contacts. Passphrase shares are only counted: their passphrase is not stored, so they cannot be
 * re-sent automatically; recipients whose contact was deleted are named.
 */
export const resendTargetsSchema = z.object({
  connectionId: z.string(),
  recipients: z.array(z.object({ contactId: z.string(), name: z.string() })),
  passphraseShares: z.number().int(),
  missingContacts: z.array(z.string()),
})
export type ResendTargets = z.infer<typeof resendTargetsSchema>

/** A re-send: one new share per distinct scope, use-only flag and duration among the live ones. */
export const resendResultSchema = resendTargetsSchema.extend({
  shares: z.array(exportResultSchema),
})

/** The newest version of one connection sent to one recipient, beside its current version. */
export const shareHoldingSchema = z.object({
  contactId: z.string(),
  recipient: z.string(),
  connectionId: z.string(),
  connectionName: z.string(),
  /** Null for shares recorded before shares carried versions. */
  version: z.number().int().nullable(),
  /** Null once the connection was deleted for good. */
  currentVersion: z.number().int().nullable(),
  shareId: z.string(),
  sharedAt: z.string(),
  /** That share is neither revoked nor expired: a re-send reaches this recipient. */
  live: z.boolean(),
})
export type ShareHolding = z.infer<typeof shareHoldingSchema>

/** What an imported connection carries from its share (on the connection's detail). */
export const receivedShareSchema = z.object({
  shareId: z.string(),
  sharedBy: z.string(),
  senderFingerprint: z.string(),
  scope: z.array(z.string()),
  expiresAt: z.string(),
  expired: z.boolean(),
  importedAt: z.string(),
})
export type ReceivedShare = z.infer<typeof receivedShareSchema>
