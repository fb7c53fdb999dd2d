import { z } from 'zod'

/** Users call the file "runner credentials", and files already saved carry this: it stays. */
export const ENROLLMENT_FORMAT = 'bridgekeep-runner-credentials/v1'

const pem = (label: string) =>
  z
    .string()
    .max(20_000)
    .regex(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+-----END ${label}-----`), {
      message: `Expected a PEM ${label.toLowerCase()}.`,
    })

/**
 * The runner enrollment: the file users know as "runner credentials" ("Generate runner
 * credentials", `bridgekeep runner credentials`, `--credentials <file>`), everything a runner
 * needs to find the app and prove who it is. The private key and the API key exist only in this
 * file; the app keeps the certificate's serial and a hash of the key. In code it is the
 * enrollment, so that "credentials" means only a connection's secrets and the cloud sessions
 * issued from them.
 */
export const runnerEnrollmentSchema = z
  .object({
    format: z.literal(ENROLLMENT_FORMAT),
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
export type RunnerEnrollment = z.infer<typeof runnerEnrollmentSchema>
