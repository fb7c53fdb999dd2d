import { useState } from 'react'
import type { ConnectionSummary } from '../../api/connections'
import type { Contact } from '../../api/sharing'
import { providerLabel } from '../connections/catalog'
import styles from './Sharing.module.css'

interface ConnectionPickerProps {
  /** Opened from a connection's page: what is shared is fixed, and only named. */
  fixed: boolean
  connections: ConnectionSummary[]
  picked: Set<string>
  onToggle: (id: string) => void
  error: string | undefined
}

/** The connections to share: a filtered checklist, or the fixed ones named. */
export function ConnectionPicker({
  fixed,
  connections,
  picked,
  onToggle,
  error,
}: ConnectionPickerProps) {
  const [filter, setFilter] = useState('')
  const selected = connections.filter((c) => picked.has(c.id))
  const shown = connections.filter((c) =>
    c.name.toLowerCase().includes(filter.trim().toLowerCase()),
  )
  return (
    <fieldset
      className={styles.fieldset}
      aria-describedby={error ? 'share-connections-error' : undefined}
    >
      <legend className={styles.legend}>
        {fixed ? 'Sharing' : `Connections (${picked.size} chosen)`}
      </legend>
      {fixed ? (
        <p className={styles.muted}>
          {selected.map((c) => `${c.name} (${providerLabel(c.provider)})`).join(', ')}
        </p>
      ) : (
        <>
          <label htmlFor="share-filter" className="visually-hidden">
            Filter connections
          </label>
          <input
            id="share-filter"
            className="input"
            placeholder="Filter by name"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
          <ul className={styles.choices} aria-label="Connections to share">
            {shown.map((connection) => (
              <li key={connection.id} className={styles.choice}>
                <label>
                  <input
                    type="checkbox"
                    checked={picked.has(connection.id)}
                    disabled={connection.useOnly}
                    onChange={() => onToggle(connection.id)}
                  />
                  {connection.name}
                  <span className={styles.choiceMeta}>
                    {connection.useOnly
                      ? 'use-only: cannot be shared again'
                      : providerLabel(connection.provider)}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p id="share-connections-error" role="alert" className={styles.muted}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

interface RecipientPickerProps {
  contacts: Contact[]
  chosen: Set<string>
  onToggle: (id: string) => void
  error: string | undefined
}

/** The contacts a share is encrypted to, each with its fingerprint and whether it is verified. */
export function RecipientPicker({ contacts, chosen, onToggle, error }: RecipientPickerProps) {
  return (
    <fieldset className={styles.fieldset}>
      <legend className="visually-hidden">Recipients</legend>
      <ul className={styles.choices} aria-label="Recipients">
        {contacts.map((contact) => (
          <li key={contact.id} className={styles.choice}>
            <label>
              <input
                type="checkbox"
                checked={chosen.has(contact.id)}
                onChange={() => onToggle(contact.id)}
              />
              {contact.name}
              <span className={styles.choiceMeta}>
                {contact.verifiedAt ? 'verified' : 'not yet verified'} ·{' '}
                <span className="mono">{contact.fingerprint}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className={styles.muted}>
          {error}
        </p>
      )}
    </fieldset>
  )
}
