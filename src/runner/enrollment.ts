import { createPrivateKey, X509Certificate } from 'node:crypto'
import { FileReadError, readTextFileLimited } from '../main/fs/bounded-read'
import { parseJson, SyntaxProblem } from '../shared/parse-untrusted'
import { runnerEnrollmentSchema, type RunnerEnrollment } from '../shared/runner-protocol/enrollment'
import { parseRunnerIdentity, urisOf } from '../shared/runner-protocol/identity'

/** A problem with the enrollment (credentials file) the runner names before connecting; it exits. */
export class EnrollmentProblem extends Error {
  override readonly name = 'EnrollmentProblem'
}

export function parseEnrollment(text: string, source: string): RunnerEnrollment {
  let json: unknown
  try {
    json = parseJson(text)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    // Only the position: the text around a JSON error may be the private key or the API key.
    throw new EnrollmentProblem(
      `${source} is not JSON${error.where}: use the file the app's "Add a runner…" (or bridgekeep runner credentials) saved.`,
    )
  }
  const parsed = runnerEnrollmentSchema.safeParse(json)
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'the file'
    throw new EnrollmentProblem(
      `${source} is not a Bridgekeep runner credentials file (problem at ${where}).`,
    )
  }
  return parsed.data
}

/** Where a runner finds its credentials when no file is given (a Kubernetes Secret, say). */
export const CREDENTIALS_VARIABLE = 'BRIDGEKEEP_RUNNER_CREDENTIALS'
const MAX_CREDENTIALS_CHARS = 1024 * 1024

/**
 * The credentials from BRIDGEKEEP_RUNNER_CREDENTIALS: the file's JSON as it is (what a Kubernetes
 * Secret key gives through secretKeyRef), or that JSON in base64 (one line, for an
 * EnvironmentFile or a secret manager that mangles newlines). Errors never quote the value.
 */
export function enrollmentFromVariable(value: string): RunnerEnrollment {
  const text = value.trim()
  if (!text) throw new EnrollmentProblem(`${CREDENTIALS_VARIABLE} is set but empty.`)
  if (text.length > MAX_CREDENTIALS_CHARS) {
    throw new EnrollmentProblem(
      `${CREDENTIALS_VARIABLE} is ${text.length} characters long: runner credentials are a few KiB.`,
    )
  }
  if (text.startsWith('{')) return parseEnrollment(text, CREDENTIALS_VARIABLE)
  const decoded = /^[A-Za-z0-9+/=_-]+$/.test(text.replace(/\s+/g, ''))
    ? Buffer.from(text, 'base64').toString('utf8').trim()
    : ''
  if (!decoded.startsWith('{')) {
    throw new EnrollmentProblem(
      `${CREDENTIALS_VARIABLE} is neither the JSON of a runner credentials file nor that JSON in base64: set it to the content of the file 'bridgekeep runner credentials' wrote.`,
    )
  }
  return parseEnrollment(decoded, `${CREDENTIALS_VARIABLE} (base64)`)
}

export function readEnrollmentFile(path: string): RunnerEnrollment {
  let text: string
  try {
    // Bounded: an enrollment file is a few KiB, and a wrong path may be /dev/zero or a FIFO.
    text = readTextFileLimited(path, { what: 'a runner credentials file', limit: 1024 * 1024 })
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error
    if (error.reason === 'directory' || error.reason === 'too-large')
      throw new EnrollmentProblem(error.message)
    throw new EnrollmentProblem(
      `Cannot read the credentials file ${path} (${error.errno ?? 'unreadable'}).`,
    )
  }
  return parseEnrollment(text, `The credentials file ${path}`)
}

/**
 * What can be checked without the app: the certificate is the vault CA's, names this runner of
 * this vault, is within its validity, and matches the private key. The app checks all of it
 * again (and revocation, and the API key): this only turns a doomed attempt into a clear reason.
 */
export function checkEnrollment(enrollment: RunnerEnrollment, now = new Date()): void {
  let cert: X509Certificate
  let ca: X509Certificate
  try {
    cert = new X509Certificate(enrollment.certificate)
    ca = new X509Certificate(enrollment.caCertificate)
  } catch {
    throw new EnrollmentProblem('The certificates in the credentials file do not parse.')
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw new EnrollmentProblem(
      "The runner certificate was not issued by the CA in the credentials file: the file was edited or mixes two vaults' credentials. Generate new credentials.",
    )
  }
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    throw new EnrollmentProblem(
      `The runner certificate expired on ${new Date(cert.validTo).toISOString()}. Regenerate the runner credentials in Bridgekeep.`,
    )
  }
  if (new Date(cert.validFrom).getTime() > now.getTime()) {
    throw new EnrollmentProblem(
      `The runner certificate is valid only from ${new Date(cert.validFrom).toISOString()}: check this computer's clock.`,
    )
  }
  const identity = urisOf(cert.subjectAltName).map(parseRunnerIdentity).find(Boolean)
  if (
    !identity ||
    identity.vaultId !== enrollment.vault.id ||
    identity.runnerId !== enrollment.runner.id
  ) {
    throw new EnrollmentProblem(
      'The runner certificate names another vault or runner than the credentials file does.',
    )
  }
  let matches = false
  try {
    matches = cert.checkPrivateKey(createPrivateKey(enrollment.privateKey))
  } catch {
    matches = false
  }
  if (!matches) {
    throw new EnrollmentProblem(
      'The private key in the credentials file does not belong to its certificate.',
    )
  }
}
