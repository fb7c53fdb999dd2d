import type { Migration } from './types'

/**
 * Whether the name sent with shares was chosen by the user, or is still the OS user name the
 * identity started with ("root" on some machines): the share dialog asks for a name before the
 * first share until one is chosen. Existing identities count as not chosen, so they are asked
 * once, with their current name filled in.
 *
 * Depends only on migration 004 (sharing_identity).
 */
export const identityNameChosen008: Migration = {
  version: 8,
  name: 'identity-name-chosen',
  up: (db) => {
    db.exec('ALTER TABLE sharing_identity ADD COLUMN name_chosen INTEGER NOT NULL DEFAULT 0')
  },
}
