import { Check, Copy, Pencil } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useIdentity, useSetIdentityName } from '../../api/sharing'
import { describeError, ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { copyText } from '../../lib/copyText'
import styles from './Sharing.module.css'

/** This vault's share address (to send to teammates) and fingerprint (to read out to them). */
export function IdentityPanel() {
  const identity = useIdentity()
  const notify = useToast()
  const [editing, setEditing] = useState(false)

  return (
    <section className={styles.panel} aria-labelledby="identity-title" data-testid="identity">
      <h2 id="identity-title" className={styles.panelTitle}>
        Your identity
      </h2>
      <p className={styles.intro}>
        Send your share address to teammates so they can share connections with you. When one adds
        you, read your fingerprint to each other (by voice or in person): if it matches, the address
        is really yours.
      </p>
      {identity.isPending ? (
        <Spinner label="Loading your identity" />
      ) : identity.isError ? (
        <ErrorNotice error={identity.error} title="Your identity could not be loaded" />
      ) : (
        <dl className={styles.facts}>
          <dt>Name on your shares</dt>
          <dd>
            {editing ? (
              <NameForm current={identity.data.name} onDone={() => setEditing(false)} />
            ) : (
              <span className={styles.inline}>
                <span data-testid="identity-name">{identity.data.name}</span>
                <button
                  type="button"
                  className="button small quiet"
                  onClick={() => setEditing(true)}
                >
                  <Pencil aria-hidden="true" />
                  Change<span className="visually-hidden"> the name on your shares</span>
                </button>
              </span>
            )}
          </dd>
          <dt>Share address</dt>
          <dd className={styles.inline}>
            <code className={styles.address} data-testid="share-address">
              {identity.data.address}
            </code>
            <button
              type="button"
              className="button small"
              onClick={() => {
                copyText(identity.data.address).then(
                  () => notify({ tone: 'success', message: 'Share address copied.' }),
                  () =>
                    notify({
                      tone: 'error',
                      message: 'The clipboard refused it: select the address and copy it.',
                    }),
                )
              }}
            >
              <Copy aria-hidden="true" />
              Copy address
            </button>
          </dd>
          <dt>Fingerprint</dt>
          <dd>
            <span className={styles.fingerprint} data-testid="identity-fingerprint">
              {identity.data.fingerprint}
            </span>
          </dd>
        </dl>
      )}
    </section>
  )
}

function NameForm({ current, onDone }: { current: string; onDone: () => void }) {
  const [name, setName] = useState(current)
  const save = useSetIdentityName()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate(name, { onSuccess: onDone })
  }
  return (
    <form className={styles.inline} onSubmit={submit}>
      <label htmlFor="identity-name-input" className="visually-hidden">
        Name on your shares
      </label>
      <input
        id="identity-name-input"
        className={`input ${styles.renameInput}`}
        value={name}
        maxLength={60}
        aria-invalid={save.isError ? true : undefined}
        aria-describedby={save.isError ? 'identity-name-error' : undefined}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="button small primary" disabled={save.isPending}>
        <Check aria-hidden="true" />
        Save
      </button>
      <button type="button" className="button small" onClick={onDone}>
        Cancel
      </button>
      {save.isError && (
        <span id="identity-name-error" role="alert" className={styles.muted}>
          {describeError(save.error).message}
        </span>
      )}
    </form>
  )
}
