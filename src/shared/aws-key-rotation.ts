import { z } from 'zod'

/** "Create a new key in AWS" for an inline AWS connection: what the app asks and answers. */
export const rotateAwsKeyInputSchema = z.object({ connectionId: z.string().min(1) }).strict()

export const awsKeyRotationSchema = z.object({
  connectionId: z.string(),
  userName: z.string(),
  /** Access key IDs are identifiers, not secrets: AWS shows them in the console and in logs. */
  oldAccessKeyId: z.string(),
  newAccessKeyId: z.string(),
  /** The connection's secret version that holds the new key. */
  secretVersion: z.number().int(),
  /** The new key proved itself with STS GetCallerIdentity. */
  verified: z.boolean(),
  /** The old key was set Inactive (only after the new one verified); it is never deleted. */
  oldKeyDeactivated: z.boolean(),
  /** What is left for the user to do, when anything is. */
  note: z.string().optional(),
})
export type AwsKeyRotation = z.infer<typeof awsKeyRotationSchema>
