import { z } from 'zod'
import {
  addressCheckSchema,
  checkAddressSchema,
  contactInputSchema,
  contactSchema,
  exportInputSchema,
  exportResultSchema,
  identitySchema,
  importApplySchema,
  importResultSchema,
  MAX_SHARE_FILE_BASE64,
  resendResultSchema,
  resendTargetsSchema,
  setNameSchema,
  shareHoldingSchema,
  shareRecordSchema,
  sharePreviewSchema,
  shareSourceSchema,
  verifyContactSchema,
} from '../../sharing'
import { channel } from '../define'

export const openedShareFileSchema = z.object({
  name: z.string(),
  /** The file, base64, as the page sends a file it read itself; absent when it could not be read. */
  file: z.string().max(MAX_SHARE_FILE_BASE64).optional(),
  /** Why it could not be read. */
  problem: z.string().optional(),
})
export type OpenedShareFile = z.infer<typeof openedShareFileSchema>

const byId = z.object({ id: z.string().min(1).max(100) }).strict()

/**
 * Sharing. No channel returns a connection's secret: exports come back as age ciphertext
 * (base64 and armored), previews name connections without their values.
 */
export const sharingChannels = {
  /** This vault's identity: name, share address, fingerprint (created on first call). */
  identity: channel(z.undefined(), identitySchema),
  setName: channel(setNameSchema, identitySchema),
  contacts: channel(z.undefined(), z.array(contactSchema)),
  /** An address's fingerprint before it is saved, and whether it is known or this vault's own. */
  checkAddress: channel(checkAddressSchema, addressCheckSchema),
  addContact: channel(contactInputSchema, contactSchema),
  verifyContact: channel(verifyContactSchema, contactSchema),
  deleteContact: channel(byId, z.null()),
  export: channel(exportInputSchema, exportResultSchema),
  importPreview: channel(shareSourceSchema, sharePreviewSchema),
  importApply: channel(importApplySchema, importResultSchema),
  shares: channel(z.undefined(), z.array(shareRecordSchema)),
  /** Marks a share revoked (a delivered share cannot be recalled: rotate its secrets). */
  revoke: channel(byId, shareRecordSchema),
  /** The .bkshare file the desktop opened (double-click, Open Share File…), once; null when none. */
  /** Who a re-send of a connection (after a rotation) would reach. */
  resendTargets: channel(byId, resendTargetsSchema),
  /** Shares a connection's current version again with everyone who holds it. */
  resend: channel(byId, resendResultSchema),
  /** Per recipient and connection, the newest version sent to them. */
  holdings: channel(z.undefined(), z.array(shareHoldingSchema)),
  takeOpenedFile: channel(z.undefined(), openedShareFileSchema.nullable()),
}

export const sharingEvents = {
  /** The desktop opened a .bkshare file: the page takes it with takeOpenedFile. */
  fileOpened: z.object({ name: z.string() }),
}
