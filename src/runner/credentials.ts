import { createPrivateKey, X509Certificate } from 'node:crypto'
import { FileReadError, readTextFileLimited } from '../main/fs/bounded-read'
import { parseJson, SyntaxProblem } from '../shared/parse-untrusted'
import {
  runnerCredentialsSchema,
  type RunnerCredentials,
} from '../shared/runner-protocol/credentials'
import { parseRunnerIdentity, urisOf } from '../shared/runner-protocol/identity'

/** A credentials problem the runner can name before it connects; it exits with this message. */
export class CredentialsProblem extends Error {
  override readonly name = 'CredentialsProblem'
}

export function parseCredentials(text: string, source: string): RunnerCredentials {
  let json: unknown
  try {
    json = parseJson(text)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    // Only the position: the text around a JSON error may be the private key or the API key.
    throw new CredentialsProblem(
      `${source} is not JSON${error.where}: use the file "Generate runner credentials" saved.`,
    )
  }
  const parsed = runnerCredentialsSchema.safeParse(json)
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'the file'
    throw new CredentialsProblem(
      `${source} is not a Bridgekeep runner credentials file (problem at ${where}).`,
    )
  }
  return parsed.data
}

export function readCredentialsFile(path: string): RunnerCredentials {
  let text: string
  try {
    // Bounded: a credentials file is a few KiB, and a wrong path may be /dev/zero or a FIFO.
    text = readTextFileLimited(path, { what: 'a runner credentials file', limit: 1024 * 1024 })
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error
    if (error.reason === 'directory' || error.reason === 'too-large')
      throw new CredentialsProblem(error.message)
    throw new CredentialsProblem(
      `Cannot read the credentials file ${path} (${error.errno ?? 'unreadable'}).`,
    )
  }
  return parseCredentials(text, `The credentials file ${path}`)
}

/**
 * What can be checked without the app: the certificate is the vault CA's, names this runner of
 * this vault, is within its validity, and matches the private key. The app checks all of it
 * again (and revocation, and the API key): this only turns a doomed attempt into a clear reason.
 */
export function checkCredentials(credentials: RunnerCredentials, now = new Date()): void {
  let cert: X509Certificate
  let ca: X509Certificate
  try {
    cert = new X509Certificate(credentials.certificate)
    ca = new X509Certificate(credentials.caCertificate)
  } catch {
    throw new CredentialsProblem('The certificates in the credentials file do not parse.')
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw new CredentialsProblem(
      "The runner certificate was not issued by the CA in the credentials file: the file was edited or mixes two vaults' credentials. Generate new credentials.",
    )
  }
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    throw new CredentialsProblem(
      `The runner certificate expired on ${new Date(cert.validTo).toISOString()}. Regenerate the runner credentials in Bridgekeep.`,
    )
  }
  if (new Date(cert.validFrom).getTime() > now.getTime()) {
    throw new CredentialsProblem(
      `The runner certificate is valid only from ${new Date(cert.validFrom).toISOString()}: check this computer's clock.`,
    )
  }
  const identity = urisOf(cert.subjectAltName).map(parseRunnerIdentity).find(Boolean)
  if (
    !identity ||
    identity.vaultId !== credentials.vault.id ||
    identity.runnerId !== credentials.runner.id
  ) {
    throw new CredentialsProblem(
      'The runner certificate names another vault or runner than the credentials file does.',
    )
  }
  let matches = false
  try {
    matches = cert.checkPrivateKey(createPrivateKey(credentials.privateKey))
  } catch {
    matches = false
  }
  if (!matches) {
    throw new CredentialsProblem(
      'The private key in the credentials file does not belong to its certificate.',
    )
  }
}
