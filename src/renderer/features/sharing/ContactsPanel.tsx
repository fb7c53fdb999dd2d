import { ShieldCheck, Trash2 } from 'lucide-react'
import { useMemo, useState } from 'react'
import {
  useContacts,
  useDeleteContact,
  useIdentity,
  useVerifyContact,
  type Contact,
} from '../../api/sharing'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { actionsHeader, columnHelper, DataTable } from '../../components/DataTable'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { AddContactFields } from './AddContactFields'
import styles from './Sharing.module.css'

const helper = columnHelper<Contact>()

function contactColumns(actions: {
  verify: (contact: Contact) => void
  remove: (contact: Contact) => void
}) {
  return helper.columns([
    helper.accessor('name', { header: 'Name' }),
    helper.display({
      id: 'fingerprint',
      header: 'Fingerprint',
      cell: ({ row }) => <span className="mono">{row.original.fingerprint}</span>,
    }),
    helper.display({
      id: 'status',
      header: 'Status',
      cell: ({ row }) =>
        row.original.verifiedAt ? (
          <span className={styles.badge} data-tone="success">
            Verified
          </span>
        ) : (
          <span className={styles.badge} data-tone="warning">
            Not yet verified
          </span>
        ),
    }),
    helper.display({
      id: 'actions',
      header: actionsHeader,
      cell: ({ row }) => (
        <div className={styles.actions}>
          <button
            type="button"
            className="button small"
            onClick={() => actions.verify(row.original)}
          >
            <ShieldCheck aria-hidden="true" />
            {row.original.verifiedAt ? 'Fingerprint' : 'Verify'}
            <span className="visually-hidden"> {row.original.name}</span>
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => actions.remove(row.original)}
          >
            <Trash2 aria-hidden="true" />
            Remove<span className="visually-hidden"> {row.original.name}</span>
          </button>
        </div>
      ),
    }),
  ])
}

/** Teammates' share addresses: add, verify by fingerprint, remove. */
export function ContactsPanel() {
  const contacts = useContacts()
  const [verifying, setVerifying] = useState<Contact | null>(null)
  const [deleting, setDeleting] = useState<Contact | null>(null)
  const remove = useDeleteContact()
  const notify = useToast()
  const columns = useMemo(
    () => contactColumns({ verify: setVerifying, remove: setDeleting }),
    [setVerifying, setDeleting],
  )

  return (
    <section className={styles.panel} aria-labelledby="contacts-title" data-testid="contacts">
      <h2 id="contacts-title" className={styles.panelTitle}>
        Contacts
      </h2>
      <p className={styles.intro}>
        Shares are encrypted to your contacts’ addresses, and a share from a contact is checked
        against their signing key. Mark a contact verified once you have compared fingerprints.
      </p>
      {contacts.isPending ? (
        <Spinner label="Loading contacts" />
      ) : contacts.isError ? (
        <ErrorNotice error={contacts.error} title="Contacts could not be loaded" />
      ) : contacts.data.length === 0 ? (
        <p className={styles.muted}>No contacts yet. Add a teammate with their share address.</p>
      ) : (
        <DataTable
          columns={columns}
          data={contacts.data}
          getRowId={(contact) => contact.id}
          label="Contacts"
          rowAttributes={() => ({ 'data-testid': 'contact-row' })}
        />
      )}
      <AddContactFields
        idPrefix="contact"
        primary
        onAdded={(contact) =>
          notify({
            tone: 'success',
            message: `“${contact.name}” added. Compare the fingerprint ${contact.fingerprint} with them, then mark them verified.`,
          })
        }
      />
      {verifying && (
        <VerifyDialog contact={verifying} onClose={() => setVerifying(null)} key={verifying.id} />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Remove “${deleting?.name ?? ''}”?`}
        description={
          <p>
            You will no longer be able to share with <strong>{deleting?.name}</strong>, and a share
            from them will show as from an unknown sender. Connections they shared stay.
          </p>
        }
        confirmLabel="Remove contact"
        tone="danger"
        onConfirm={async () => {
          if (!deleting) return
          await remove.mutateAsync(deleting.id)
          notify({ message: `“${deleting.name}” was removed from your contacts.` })
        }}
      />
    </section>
  )
}

/** Fingerprints side by side, to read out; verifying is the user's statement that they match. */
function VerifyDialog({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const identity = useIdentity()
  const verify = useVerifyContact()
  const notify = useToast()
  const set = async (verified: boolean) => {
    await verify.mutateAsync({ id: contact.id, verified })
    notify({
      tone: 'success',
      message: verified
        ? `“${contact.name}” is verified.`
        : `“${contact.name}” is marked not verified.`,
    })
  }
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Verify “${contact.name}”`}
      description={
        <>
          <p>
            Call {contact.name} or meet them, and read both fingerprints aloud. Mark them verified
            only if theirs matches what they see as their own fingerprint.
          </p>
          <dl className={styles.facts}>
            <dt>{contact.name}</dt>
            <dd className={styles.fingerprint} data-testid="contact-fingerprint">
              {contact.fingerprint}
            </dd>
            <dt>You</dt>
            <dd className={styles.fingerprint}>{identity.data?.fingerprint ?? '…'}</dd>
          </dl>
        </>
      }
      confirmLabel={contact.verifiedAt ? 'Mark not verified' : 'The fingerprints match'}
      onConfirm={() => set(!contact.verifiedAt)}
    />
  )
}
