import { z } from 'zod'

/** "Open console" for an AWS connection: what the app and the CLI ask for. */
export const openAwsConsoleInputSchema = z
  .object({
    connectionId: z.string().min(1),
    /** The environment the use is authorized in (name or slug); absent: the one verify uses. */
    environment: z.string().min(1).max(200).optional(),
  })
  .strict()
export type OpenAwsConsoleInput = z.infer<typeof openAwsConsoleInputSchema>

export const awsConsoleSignInSchema = z.object({
  /** Signs whoever opens it in until expiresAt: opened at once, never stored or logged. */
  url: z.string().url(),
  expiresAt: z.string(),
  /** Who the console acts as (a role ARN, a federated user). */
  principal: z.string(),
  environmentName: z.string(),
})
export type AwsConsoleSignIn = z.infer<typeof awsConsoleSignInSchema>

/** What the page learns of an opened console: who and until when, never the link. */
export const awsConsoleOpenedSchema = awsConsoleSignInSchema.omit({ url: true }).strict()
export type AwsConsoleOpened = z.infer<typeof awsConsoleOpenedSchema>
