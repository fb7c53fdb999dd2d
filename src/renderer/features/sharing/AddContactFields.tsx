import { UserPlus } from 'lucide-react'
import { useState, type KeyboardEvent } from 'react'
import { useAddContact, type Contact } from '../../api/sharing'
import { fieldErrorsFrom } from '../../components/field-errors'
import { FormField } from '../../components/FormField'
import styles from './Sharing.module.css'

interface Props {
  /** Keeps the fields' ids apart where two of these could be on screen. */
  idPrefix: string
  onAdded: (contact: Contact) => void
  /** The Contacts panel's main action; in the share dialog, Create share is the primary one. */
  primary?: boolean
}

/**
 * A teammate's name and pasted share address, added with the service's own checks (its messages
 * shown by the field they are about). Not a <form>: it also sits inside the share dialog's form,
 * so Enter in a field adds the contact instead of submitting the share.
 */
export function AddContactFields({ idPrefix, onAdded, primary = false }: Props) {
  const [name, setName] = useState('')
  const [address, setAddress] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const add = useAddContact()

  const submit = async () => {
    setErrors({})
    try {
      const contact = await add.mutateAsync({ name, address })
      setName('')
      setAddress('')
      onAdded(contact)
    } catch (error) {
      setErrors(fieldErrorsFrom(error, { fallback: 'address' }))
    }
  }
  const onEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return
    event.preventDefault()
    void submit()
  }

  return (
    <div className={styles.form} role="group" aria-label="Add a contact">
      <FormField id={`${idPrefix}-name`} label="Name" required error={errors.name}>
        {(control) => (
          <input
            {...control}
            className="input"
            value={name}
            maxLength={60}
            placeholder="Alice (platform team)"
            onKeyDown={onEnter}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </FormField>
      <FormField id={`${idPrefix}-address`} label="Share address" required error={errors.address}>
        {(control) => (
          <input
            {...control}
            className="input mono"
            value={address}
            placeholder="bkshare1:age1…"
            spellCheck={false}
            autoComplete="off"
            onKeyDown={onEnter}
            onChange={(event) => setAddress(event.target.value)}
          />
        )}
      </FormField>
      <button
        type="button"
        className={primary ? 'button primary' : 'button'}
        disabled={add.isPending}
        onClick={() => void submit()}
      >
        <UserPlus aria-hidden="true" />
        Add contact
      </button>
    </div>
  )
}
