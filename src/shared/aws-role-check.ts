import { z } from 'zod'
import { stackNameSchema } from './operations'

/**
 * Saving a cross-account AWS connection's role: its ARN, pasted or read from the stack that
 * created it, is saved only once the connection has assumed it (AssumeRole with the external
 * ID), unless the user chooses to save it anyway.
 */
export const checkAwsRoleInputSchema = z
  .object({
    connectionId: z.string().min(1),
    /** Pasted. */
    roleArn: z.string().trim().min(1).max(2048).optional(),
    /** Or read from this stack's RoleArn output. */
    stackName: stackNameSchema.optional(),
    /** Save the role even though the check failed (the stack is fine, AWS is not reachable now). */
    saveAnyway: z.boolean().optional(),
  })
  .strict()
  .refine((input) => (input.roleArn === undefined) !== (input.stackName === undefined), {
    message: 'give either the role ARN or the name of the stack that created the role.',
  })
export type CheckAwsRoleInput = z.input<typeof checkAwsRoleInputSchema>

export const awsRoleCheckSchema = z.object({
  /** The role checked: pasted, or the stack's output. Absent when the stack could not be read. */
  roleArn: z.string().optional(),
  stackStatus: z.string().optional(),
  /** The session AssumeRole gave (arn:aws:sts::…:assumed-role/…) when the check passed. */
  assumedArn: z.string().optional(),
  /** The role is now the connection's. */
  saved: z.boolean(),
  /** Why the check failed, and what to do. */
  problem: z.object({ message: z.string(), remedy: z.string() }).optional(),
  /** What the assumed role may not do of the connection's capabilities. */
  warnings: z.array(z.string()).optional(),
})
export type AwsRoleCheck = z.infer<typeof awsRoleCheckSchema>
