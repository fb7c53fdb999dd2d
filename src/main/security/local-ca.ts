import { randomBytes, webcrypto } from 'node:crypto'
import type * as X509 from '@peculiar/x509'

/**
 * A small certificate authority per vault, for the runner's mutual TLS: ECDSA P-256 keys and
 * certificates made with @peculiar/x509 over Node's WebCrypto. The CA key leaves this module only
 * as PKCS#8 bytes, which the caller keeps wrapped by the vault's data key.
 */

let loaded: Promise<typeof X509> | undefined
/**
 * @peculiar/x509 (with reflect-metadata and the ASN.1 schemas, a tenth of a second to load) is
 * loaded when a certificate is first made or read: most CLI commands never need one.
 */
function loadX509(): Promise<typeof X509> {
  loaded ??= (async () => {
    await import('reflect-metadata')
    const x509 = await import('@peculiar/x509')
    // Node's WebCrypto is the standard Crypto; the typings differ only by lib (DOM or not).
    x509.cryptoProvider.set(webcrypto as never)
    return x509
  })()
  return loaded
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000
/** Clock skew between the app and a runner on another host. */
const BACKDATE_MS = 5 * 60_000

// @peculiar/x509 is typed with TypeScript's DOM CryptoKey, whose KeyUsage list is older than
// Node 24's (no "encapsulateBits"); the objects are the same, so keys cross over as its types.
type KeyPair = X509.X509CertificateCreateSelfSignedParams['keys']
type Key = KeyPair['privateKey']

export interface CertificateAuthority {
  certPem: string
  /** The CA private key, PKCS#8 DER. Wrap it before storing; zero it after use. */
  keyPkcs8: Buffer
}

export interface IssuedCertificate {
  certPem: string
  keyPem: string
  /** Upper-case hex, as Node's X509Certificate.serialNumber reports it. */
  serial: string
  notAfter: Date
}

export interface CertificateSpec {
  /** server: the app's control listener; client: a runner. */
  usage: 'server' | 'client'
  commonName: string
  uris: string[]
  ips?: string[]
  dns?: string[]
  notBefore?: Date
  notAfter?: Date
}

export async function createCertificateAuthority(
  vaultId: string,
  now = new Date(),
): Promise<CertificateAuthority> {
  const x509 = await loadX509()
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: `CN=Bridgekeep runner CA ${vaultId}, O=Bridgekeep`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + 10 * 365 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      // pathLength 0: it signs leaf certificates only, never another CA.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: cert.toString('pem'), keyPkcs8: await exportPkcs8(keys.privateKey) }
}

/** A leaf certificate signed by the CA, with a fresh key pair. */
export async function issueCertificate(
  ca: CertificateAuthority,
  spec: CertificateSpec,
  now = new Date(),
): Promise<IssuedCertificate> {
  const x509 = await loadX509()
  const caCert = new x509.X509Certificate(ca.certPem)
  const caKey = (await webcrypto.subtle.importKey('pkcs8', ca.keyPkcs8, ALGORITHM, false, [
    'sign',
  ])) as unknown as Key
  const keys = await generateKeys()
  const notBefore = spec.notBefore ?? new Date(now.getTime() - BACKDATE_MS)
  const notAfter = spec.notAfter ?? new Date(now.getTime() + 365 * DAY_MS)
  const names: X509.JsonGeneralName[] = [
    ...spec.uris.map((value) => ({ type: 'url' as const, value })),
    ...(spec.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ]
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: `CN=${spec.commonName}, O=Bridgekeep`,
    issuer: caCert.subject,
    notBefore,
    notAfter,
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(
        [
          spec.usage === 'server'
            ? x509.ExtendedKeyUsage.serverAuth
            : x509.ExtendedKeyUsage.clientAuth,
        ],
        true,
      ),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  })
  const pkcs8 = await exportPkcs8(keys.privateKey)
  return {
    certPem: cert.toString('pem'),
    keyPem: toPem(pkcs8, 'PRIVATE KEY'),
    serial: cert.serialNumber.toUpperCase(),
    notAfter,
  }
}

async function generateKeys(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as unknown as KeyPair
}

async function exportPkcs8(key: Key): Promise<Buffer> {
  return Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey),
  )
}

/** 128 random bits, positive (the top bit cleared, so DER needs no sign byte). */
function newSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x7f) | 0x10
  return bytes.toString('hex')
}

function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
