import { z } from 'zod'

export const CREDENTIALS_FORMAT = 'bridgekeep-runner-credentials/v1'

const pem = (label: string) =>
  z
    .string()
    .max(20_000)
    .regex(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+-----END ${label}-----`), {
      message: `Expected a PEM ${label.toLowerCase()}.`,
    })

/**
 * The runner credentials file ("Generate runner credentials"): everything a runner needs to find
 * the app and prove who it is. The private key and the API key exist only in this file; the app
 * keeps the certificate's serial and a hash of the key.
 */
export const runnerCredentialsSchema = z
  .object({
    format: z.literal(CREDENTIALS_FORMAT),
    vault: z.object({ id: z.string().min(1).max(100) }).strict(),
    runner: z.object({ id: z.string().min(1).max(100), label: z.string().max(100) }).strict(),
    control: z
      .object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65_535) })
      .strict(),
    caCertificate: pem('CERTIFICATE'),
    certificate: pem('CERTIFICATE'),
    privateKey: pem('PRIVATE KEY'),
    apiKey: z.string().min(20).max(200),
    issuedAt: z.string(),
    expiresAt: z.string(),
  })
  .strict()
export type RunnerCredentials = z.infer<typeof runnerCredentialsSchema>
