import type { Services } from '../main/services'
import { BridgekeepError } from '../shared/errors'
import type { Contact, SenderTrust, ShareRecord } from '../shared/sharing'
import { interactive, type CliIO } from './framework/io'
import { promptSecret } from './framework/prompt'
import { SECRET_VARIABLES } from '../shared/secret-variables'

/** Where `share export --passphrase` and `share import` read a share's passphrase in scripts. */
export const SHARE_PASSPHRASE_ENV = SECRET_VARIABLES.sharePassphrase

/**
 * A share's passphrase: from BRIDGEKEEP_SHARE_PASSPHRASE, or asked on the terminal without echo
 * (twice when choosing one, so a typo does not lock the recipient out). Never an argument: the
 * command line is visible to every process on the machine.
 */
export async function sharePassphrase(io: CliIO, purpose: 'choose' | 'open'): Promise<string> {
  const fromEnv = io.env[SHARE_PASSPHRASE_ENV]
  if (fromEnv !== undefined) return fromEnv
  if (!interactive(io)) {
    throw new BridgekeepError(
      'VALIDATION',
      purpose === 'choose'
        ? 'A passphrase share needs a passphrase, and there is no terminal to ask for it.'
        : 'This share is protected by a passphrase, and there is no terminal to ask for it.',
      `Set ${SHARE_PASSPHRASE_ENV} for scripts, or run the command in a terminal.`,
    )
  }
  if (purpose === 'open') return promptSecret(io, 'Share passphrase: ')
  const first = await promptSecret(io, 'Share passphrase (four or five random words work well): ')
  const again = await promptSecret(io, 'The same passphrase again: ')
  if (first !== again)
    throw new BridgekeepError('VALIDATION', 'The two passphrases differ.', 'Type them again.')
  return first
}

/** A contact by name (any case) or fingerprint (with or without spaces). */
export function findContact(services: Services, ref: string): Contact {
  const wanted = ref.trim().toLowerCase()
  const compact = wanted.replace(/\s+/g, '')
  const contacts = services.sharing.contacts()
  const byName = contacts.filter((contact) => contact.name.toLowerCase() === wanted)
  if (byName.length === 1) return byName[0]!
  const byFingerprint = contacts.find(
    (contact) => contact.fingerprint.replace(/\s+/g, '').toLowerCase() === compact,
  )
  if (byFingerprint) return byFingerprint
  if (byName.length > 1) {
    throw new BridgekeepError(
      'VALIDATION',
      `Several contacts are named ${ref}.`,
      'Name the one you mean by its fingerprint (bridgekeep share contacts lists them).',
    )
  }
  throw new BridgekeepError(
    'NOT_FOUND',
    `There is no contact ${ref}.`,
    contacts.length > 0
      ? `Contacts: ${contacts.map((contact) => contact.name).join(', ')}. Add one with bridgekeep share add-contact.`
      : "Add your teammate's share address first: bridgekeep share add-contact <name> <address>.",
  )
}

/** The first characters of a share id: enough to name it, as `share ls` prints it. */
export function shortShareId(id: string): string {
  return id.slice(0, 8)
}

/** A share this vault sent, by its id or a unique prefix of it (at least 4 characters). */
export function findShare(services: Services, ref: string): ShareRecord {
  const wanted = ref.trim().toLowerCase()
  const shares = services.sharing.shares()
  const exact = shares.find((share) => share.id === wanted)
  if (exact) return exact
  const matches = wanted.length >= 4 ? shares.filter((share) => share.id.startsWith(wanted)) : []
  if (matches.length === 1) return matches[0]!
  throw new BridgekeepError(
    matches.length > 1 ? 'VALIDATION' : 'NOT_FOUND',
    matches.length > 1
      ? `Several shares start with ${ref}.`
      : `This vault sent no share with id ${ref}.`,
    matches.length > 1
      ? 'Give more of the id (bridgekeep share ls --json prints whole ids).'
      : 'bridgekeep share ls lists the shares this vault sent.',
  )
}

export const trustLabels: Record<SenderTrust, string> = {
  verified: 'a verified contact',
  known: 'a contact, fingerprint not yet verified',
  unknown: 'not one of your contacts',
  changed: "a contact's name, but different keys",
}
