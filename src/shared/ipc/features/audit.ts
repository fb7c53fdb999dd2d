import { z } from 'zod'
import {
  auditExportResultSchema,
  auditExportSchema,
  auditPageSchema,
  auditQuerySchema,
  auditVerificationSchema,
} from '../../audit'
import { channel } from '../define'

export const auditChannels = {
  /** One page of the timeline, newest first; page on with `before: nextCursor`. */
  query: channel(auditQuerySchema, auditPageSchema),
  /** The filtered trail as JSON Lines or CSV text, oldest first. */
  export: channel(auditExportSchema, auditExportResultSchema),
  /** Walks the hash chain, the MACs and the sealed head; names each kind of damage found. */
  verify: channel(z.undefined(), auditVerificationSchema),
}
