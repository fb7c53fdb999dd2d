import type { Contact } from '../../api/sharing'
import { AddContactFields } from './AddContactFields'
import { SharePassphraseField } from './SharePassphraseField'
import { RecipientPicker } from './SharePickers'
import styles from './Sharing.module.css'

export type ShareTarget = 'contacts' | 'passphrase'

interface Props {
  contacts: Contact[]
  target: ShareTarget
  onTarget: (target: ShareTarget) => void
  recipients: Set<string>
  onToggleRecipient: (id: string) => void
  /** A contact added here: the caller chooses it as a recipient. */
  onContactAdded: (contact: Contact) => void
  passphrase: string
  onPassphrase: (passphrase: string) => void
  errors: Record<string, string>
}

/**
 * Who can open the share: contacts (chosen, or added here by pasting their share address), or
 * anyone with a passphrase, which is what is offered first when there are no contacts yet.
 */
export function ShareRecipients(props: Props) {
  const { contacts, target, onTarget } = props
  return (
    <>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Send to</legend>
        <div className={styles.radios}>
          <label>
            <input
              type="radio"
              name="share-target"
              checked={target === 'contacts'}
              onChange={() => onTarget('contacts')}
            />
            Contacts
          </label>
          <label>
            <input
              type="radio"
              name="share-target"
              checked={target === 'passphrase'}
              onChange={() => onTarget('passphrase')}
            />
            Anyone with a passphrase
          </label>
        </div>
        {contacts.length === 0 && (
          <p className={styles.muted}>
            No contacts yet: share with a passphrase, or choose Contacts and paste a teammate’s
            share address.
          </p>
        )}
      </fieldset>
      {target === 'contacts' ? (
        <>
          {contacts.length > 0 && (
            <RecipientPicker
              contacts={contacts}
              chosen={props.recipients}
              onToggle={props.onToggleRecipient}
              error={props.errors.to}
            />
          )}
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>
              {contacts.length === 0 ? 'Add a teammate' : 'Or add another teammate'}
            </legend>
            <p className={styles.muted}>
              Paste the share address they copied from their Sharing page.
            </p>
            <AddContactFields idPrefix="share-contact" onAdded={props.onContactAdded} />
            {contacts.length === 0 && props.errors.to && (
              <p role="alert" className={styles.muted}>
                {props.errors.to}
              </p>
            )}
          </fieldset>
        </>
      ) : (
        <SharePassphraseField
          value={props.passphrase}
          onChange={props.onPassphrase}
          error={props.errors.passphrase}
        />
      )}
    </>
  )
}
