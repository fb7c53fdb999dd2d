import type * as Age from 'age-encryption'
import { BridgekeepError } from '../../../shared/errors'

/**
 * age files, through `age-encryption` (the reference TypeScript implementation, interoperable
 * with the `age` CLI): encryption to X25519 recipients or to a scrypt passphrase, ASCII armor,
 * and decryption with failures mapped to messages a user can act on.
 */

const MAGIC = 'age-encryption.org/v1\n'
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----'
const ARMOR_END = '-----END AGE ENCRYPTED FILE-----'

let loaded: Promise<typeof Age> | undefined
/** age-encryption (and its curves) loads on first use: most CLI commands never touch a share. */
export const loadAge = (): Promise<typeof Age> => (loaded ??= import('age-encryption'))
/** age's own default, and what the CLI uses. */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18

export async function encryptToRecipients(
  plaintext: Uint8Array,
  recipients: readonly string[],
): Promise<Uint8Array> {
  const { Encrypter } = await loadAge()
  const encrypter = new Encrypter()
  for (const recipient of recipients) encrypter.addRecipient(recipient)
  return encrypter.encrypt(plaintext)
}

export async function encryptWithPassphrase(
  plaintext: Uint8Array,
  passphrase: string,
  workFactor = DEFAULT_SCRYPT_WORK_FACTOR,
): Promise<Uint8Array> {
  const { Encrypter } = await loadAge()
  const encrypter = new Encrypter()
  encrypter.setPassphrase(passphrase)
  encrypter.setScryptWorkFactor(workFactor)
  return encrypter.encrypt(plaintext)
}

export async function armorFile(bytes: Uint8Array): Promise<string> {
  const { armor } = await loadAge()
  return armor.encode(bytes)
}

export interface AgeFile {
  bytes: Uint8Array
  /** The first argument of each header stanza: `X25519`, `scrypt`... */
  stanzaTypes: string[]
}

/**
 * The age file in `data`: binary bytes, or armored text (also when pasted with text around it,
 * as from a chat). Anything else is refused as not a share.
 */
export async function readAgeFile(data: Uint8Array | string): Promise<AgeFile> {
  const { armor } = await loadAge()
  let bytes: Uint8Array
  const text = typeof data === 'string' ? data : startsWithArmor(data) ? latin1(data) : undefined
  if (text !== undefined) {
    const begin = text.indexOf(ARMOR_BEGIN)
    const end = text.indexOf(ARMOR_END, begin + 1)
    if (begin < 0 || end < 0) {
      throw malformed(
        begin < 0
          ? 'The text is not an armored share: it has no "-----BEGIN AGE ENCRYPTED FILE-----" line.'
          : 'The armored text is cut off: its "-----END AGE ENCRYPTED FILE-----" line is missing.',
      )
    }
    try {
      bytes = armor.decode(text.slice(begin, end + ARMOR_END.length))
    } catch {
      throw malformed(
        'The armored text was changed or wrapped differently: its lines are not the ones age wrote.',
      )
    }
  } else {
    bytes = data as Uint8Array
  }
  if (bytes.length < MAGIC.length || latin1(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw malformed('The file is not an age-encrypted Bridgekeep share.')
  }
  return { bytes, stanzaTypes: stanzaTypes(bytes) }
}

/** Decrypts with this vault's age identity, or with a passphrase. */
export async function decryptAgeFile(
  file: AgeFile,
  key: { identity: string } | { passphrase: string },
): Promise<Uint8Array> {
  const { Decrypter } = await loadAge()
  const decrypter = new Decrypter()
  if ('identity' in key) decrypter.addIdentity(key.identity)
  else decrypter.addPassphrase(key.passphrase)
  try {
    return await decrypter.decrypt(file.bytes)
  } catch (error) {
    const reason = error instanceof Error ? error.message : ''
    if (reason.includes('no identity matched')) {
      throw 'passphrase' in key
        ? new BridgekeepError(
            'SHARE_NOT_FOR_YOU',
            'That passphrase does not open this share.',
            'Check the passphrase with the person who sent the share, and type it again.',
          )
        : new BridgekeepError(
            'SHARE_NOT_FOR_YOU',
            'This share was not encrypted for this vault: none of its recipients is your share address.',
            'Ask the sender to share it again to your current share address (Sharing → Your identity).',
          )
    }
    if (reason.includes('work factor is too high')) {
      throw malformed('The share asks for more passphrase work than age allows.')
    }
    throw new BridgekeepError(
      'SHARE_TAMPERED',
      'The share file is damaged or was altered: it failed age’s integrity check. Nothing was imported.',
      'Ask the sender for the file again; if it keeps failing, someone may be changing it on the way.',
    )
  }
}

function startsWithArmor(bytes: Uint8Array): boolean {
  const head = latin1(bytes.subarray(0, 200)).trimStart()
  return head.startsWith(ARMOR_BEGIN)
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

/** The stanza types in the (ASCII) header, before its `---` MAC line. */
function stanzaTypes(bytes: Uint8Array): string[] {
  const header = latin1(bytes.subarray(0, Math.min(bytes.length, 1 << 20)))
  const end = header.indexOf('\n--- ')
  const lines = (end < 0 ? header : header.slice(0, end)).split('\n')
  return lines.filter((line) => line.startsWith('-> ')).map((line) => line.split(' ')[1] ?? '')
}

function malformed(reason: string): BridgekeepError {
  return new BridgekeepError(
    'SHARE_MALFORMED',
    `${reason} Nothing was imported.`,
    'Import the .bkshare file or the armored text exactly as the sender gave it.',
  )
}
