import { z } from 'zod'
import {
  connectionCreateSchema,
  connectionDetailSchema,
  connectionSummarySchema,
  connectionUpdateSchema,
  rotateInputSchema,
} from '../../connections'
import { awsKeyRotationSchema, rotateAwsKeyInputSchema } from '../../aws-key-rotation'
import { awsRoleCheckSchema, checkAwsRoleInputSchema } from '../../aws-role-check'
import { awsConsoleOpenedSchema, openAwsConsoleInputSchema } from '../../aws-console'
import { channel } from '../define'

const byId = z.object({ id: z.string().min(1) }).strict()
const fieldOf = z.object({ id: z.string().min(1), field: z.string().min(1) }).strict()

export const connectionsChannels = {
  list: channel(
    z.object({ trash: z.boolean().optional() }).strict().optional(),
    z.array(connectionSummarySchema),
  ),
  get: channel(byId, connectionDetailSchema),
  /** Creates a connection and authorizes it for `environmentIds`, in one transaction. */
  create: channel(connectionCreateSchema, connectionDetailSchema),
  update: channel(connectionUpdateSchema, connectionDetailSchema),
  rotate: channel(rotateInputSchema, connectionDetailSchema),
  /** An inline AWS connection's next access key, created in IAM by the runner (then stored). */
  rotateAwsKey: channel(rotateAwsKeyInputSchema, awsKeyRotationSchema),
  /** A cross-account role (pasted, or read from its stack) assumed, then saved. */
  checkAwsRole: channel(checkAwsRoleInputSchema, awsRoleCheckSchema),
  /** The AWS console opened in the browser by main (a use: authorized, audited); no link back. */
  openAwsConsole: channel(openAwsConsoleInputSchema, awsConsoleOpenedSchema),
  trash: channel(byId, connectionSummarySchema),
  restore: channel(byId, connectionSummarySchema),
  purge: channel(byId, z.null()),
  /** The one channel that returns a secret value; every call is recorded. */
  reveal: channel(fieldOf, z.object({ value: z.string() })),
  /** Copies a secret to the clipboard in main; it is cleared again after `clearAfterSeconds`. */
  copy: channel(fieldOf, z.object({ clearAfterSeconds: z.number() })),
}
