import { Download } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import type { ConflictAction, ShareSourceInput } from '../../../shared/sharing'
import { useImportApply, type ImportResult, type SharePreview } from '../../api/sharing'
import { ErrorNotice } from '../../components/ErrorNotice'
import { useToast } from '../../components/Toast'
import { authModeLabel, providerLabel } from '../connections/catalog'
import { formatDateTime } from '../connections/format'
import {
  needsConfirmation,
  useProtectedConfirmation,
} from '../environments/useProtectedConfirmation'
import { BorrowChoice, needsBorrowChoice } from './BorrowChoice'
import { ExposedSecretsNotice } from './ExposedSecretsNotice'
import styles from './Sharing.module.css'

interface Choice {
  action: ConflictAction
  name: string
}

/**
 * What a share holds and who signed it, the choice for each connection whose slug is taken,
 * and the import itself (one transaction in main: everything or nothing).
 */
export function ImportPreview({
  preview,
  source,
  onDone,
}: {
  preview: SharePreview
  source: ShareSourceInput
  onDone: () => void
}) {
  const [choices, setChoices] = useState<Record<string, Choice>>(() =>
    Object.fromEntries(
      preview.connections.map((c) => [
        c.slug,
        { action: c.conflict ? 'rename' : 'create', name: c.suggestedName },
      ]),
    ),
  )
  /** The connection of this vault each borrowing one uses, by slug in the share. */
  const [borrowed, setBorrowed] = useState<Record<string, string>>({})
  const [trusted, setTrusted] = useState(false)
  const [result, setResult] = useState<ImportResult | null>(null)
  const apply = useImportApply()
  // A scope that names a protected environment is asked about with main's own words.
  const protectedConfirmation = useProtectedConfirmation()
  const notify = useToast()
  const { sender } = preview
  const needsTrust = sender.trust === 'unknown' || sender.trust === 'changed'
  const importable = preview.connections.filter((c) => choices[c.slug]?.action !== 'skip')

  const run = async () => {
    const imported = await protectedConfirmation.run((confirmed) =>
      apply.mutateAsync({
        source,
        shareId: preview.shareId,
        trustSender: needsTrust && trusted,
        choices: preview.connections
          .filter((c) => c.conflict || borrowed[c.slug])
          .map((c) => {
            const choice = choices[c.slug]!
            const borrow = borrowed[c.slug] ? { borrow: borrowed[c.slug] } : {}
            return choice.action === 'rename'
              ? { slug: c.slug, action: 'rename' as const, name: choice.name, ...borrow }
              : { slug: c.slug, action: choice.action, ...borrow }
          }),
        ...(confirmed ? { confirmProtected: true } : {}),
      }),
    )
    if (!imported) return
    setResult(imported)
    const count = imported.created.length + imported.replaced.length + imported.updated.length
    notify({
      tone: 'success',
      message: `Imported ${count} connection${count === 1 ? '' : 's'} from ${sender.name}.`,
    })
  }

  if (result) {
    const all = [...result.created, ...result.replaced, ...result.updated]
    return (
      <div className={styles.formStack} data-testid="import-result">
        <p className={styles.notice} data-tone="info" role="status">
          Imported from {sender.name}:{' '}
          {all.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ', '}
              <Link to={`/connections/${c.id}`}>{c.name}</Link>
            </span>
          ))}
          {all.length === 0 && 'nothing (everything was skipped)'}.
          {result.authorized.length > 0 && ` Authorized for ${result.authorized.join(', ')}.`}
          {result.missingEnvironments.length > 0 &&
            ` This vault has no ${result.missingEnvironments.join(', ')}: nothing was authorized there.`}
          {result.contact?.added &&
            ` ${result.contact.name} was added to your contacts (not yet verified).`}
        </p>
        <div>
          <button type="button" className="button" onClick={onDone}>
            Import another share
          </button>
        </div>
      </div>
    )
  }

  return (
    <div className={styles.formStack} data-testid="import-preview">
      <SenderNotice preview={preview} />
      <dl className={styles.facts}>
        <dt>From</dt>
        <dd>
          {sender.name}{' '}
          <span className="mono" data-testid="sender-fingerprint">
            ({sender.fingerprint})
          </span>
        </dd>
        <dt>Kind</dt>
        <dd>
          {preview.useOnly ? (
            <>
              <span className={styles.badge}>use-only</span> Tools can use these connections; this
              app never shows, copies or shares their secrets.
            </>
          ) : (
            'A full copy: the secrets become yours to see and use.'
          )}
        </dd>
        <dt>Environments</dt>
        <dd>
          {preview.environments.map((env, i) => (
            <span key={env.name}>
              {i > 0 && ', '}
              {env.name}
              {env.protected && ' (protected)'}
              {!env.exists && ' (not in this vault: not authorized)'}
            </span>
          ))}
        </dd>
        <dt>Expires</dt>
        <dd>
          <time dateTime={preview.expiresAt}>{formatDateTime(preview.expiresAt)}</time>
          {preview.useOnly && ' — after that, the connections stop working here.'}
        </dd>
        <dt>Sent</dt>
        <dd>
          <time dateTime={preview.createdAt}>{formatDateTime(preview.createdAt)}</time>
          {preview.alreadyImported > 0 && ` (already imported ${preview.alreadyImported}×)`}
        </dd>
      </dl>
      {preview.useOnly && (
        <ExposedSecretsNotice
          whose="your"
          exposed={preview.connections
            .filter((c) => c.toolsReceive.exposed)
            .map((c) => ({ name: c.name, what: c.toolsReceive.what }))}
        />
      )}
      <ul className={styles.conflicts} aria-label="Connections in the share">
        {preview.connections.map((connection) => {
          const choice = choices[connection.slug]!
          const set = (next: Partial<Choice>) =>
            setChoices((current) => ({
              ...current,
              [connection.slug]: { ...current[connection.slug]!, ...next },
            }))
          const group = `choice-${connection.slug}`
          return (
            <li key={connection.slug} className={styles.conflict} data-testid="preview-connection">
              <div className={styles.conflictHead}>
                <span className={styles.conflictName}>{connection.name}</span>
                <span className={styles.choiceMeta}>
                  {providerLabel(connection.provider)} · {authModeLabel(connection.authMode)} ·{' '}
                  <span className="mono">{connection.slug}</span>
                </span>
              </div>
              {connection.update ? (
                <span className={styles.muted} data-testid="preview-update">
                  A new version of “{connection.update.name}”, which {sender.name} shared with you
                  before
                  {connection.update.fromVersion === null
                    ? ''
                    : ` (version ${connection.update.fromVersion} → ${connection.update.toVersion})`}
                  : it replaces it; your name and environment choices for it stay.
                </span>
              ) : connection.conflict ? (
                <fieldset className={styles.fieldset}>
                  <legend className={styles.legend}>
                    This vault already has “{connection.conflict.name}” with this slug
                    {connection.conflict.trashed ? ' (in the trash)' : ''}:
                  </legend>
                  <div className={styles.radios}>
                    <label>
                      <input
                        type="radio"
                        name={group}
                        checked={choice.action === 'rename'}
                        onChange={() => set({ action: 'rename' })}
                      />
                      Import under another name
                    </label>
                    <label>
                      <input
                        type="radio"
                        name={group}
                        checked={choice.action === 'replace'}
                        disabled={!connection.conflict.canReplace}
                        onChange={() => set({ action: 'replace' })}
                      />
                      Replace it (its secret is kept as a version)
                    </label>
                    <label>
                      <input
                        type="radio"
                        name={group}
                        checked={choice.action === 'skip'}
                        onChange={() => set({ action: 'skip' })}
                      />
                      Skip
                    </label>
                  </div>
                  {!connection.conflict.canReplace && connection.conflict.whyNotReplace && (
                    <p className={styles.muted}>
                      Cannot replace: {connection.conflict.whyNotReplace}
                    </p>
                  )}
                  {choice.action === 'rename' && (
                    <>
                      <label htmlFor={`${group}-name`} className="visually-hidden">
                        New name for {connection.name}
                      </label>
                      <input
                        id={`${group}-name`}
                        className={`input ${styles.renameInput}`}
                        value={choice.name}
                        maxLength={100}
                        onChange={(event) => set({ name: event.target.value })}
                      />
                    </>
                  )}
                </fieldset>
              ) : (
                <span className={styles.muted}>New in this vault.</span>
              )}
              {connection.borrows && choice.action !== 'skip' && (
                <BorrowChoice
                  slug={connection.slug}
                  name={connection.name}
                  borrows={connection.borrows}
                  value={borrowed[connection.slug] ?? ''}
                  onChange={(slug) =>
                    setBorrowed((current) => ({ ...current, [connection.slug]: slug }))
                  }
                />
              )}
              {connection.missingHere.map((missing) => (
                <p key={missing} className={styles.notice} data-testid="preview-missing-here">
                  Imported all the same, but {missing}
                </p>
              ))}
            </li>
          )
        })}
      </ul>
      {needsTrust && (
        <label className={styles.checkRow}>
          <input
            type="checkbox"
            checked={trusted}
            onChange={(event) => setTrusted(event.target.checked)}
          />
          I compared the fingerprint {sender.fingerprint} with {sender.name}, and I trust this
          sender
        </label>
      )}
      {apply.isError && !needsConfirmation(apply.error) && (
        <ErrorNotice error={apply.error} title="Nothing was imported" />
      )}
      {protectedConfirmation.dialog}
      <div className={styles.footer}>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={
            apply.isPending ||
            (needsTrust && !trusted) ||
            importable.length === 0 ||
            importable.some(
              (c) =>
                (choices[c.slug]?.action === 'rename' && !choices[c.slug]?.name.trim()) ||
                needsBorrowChoice(c.borrows, borrowed[c.slug]),
            )
          }
          onClick={() => void run().catch(() => undefined)}
        >
          <Download aria-hidden="true" />
          Import {importable.length} connection{importable.length === 1 ? '' : 's'}
        </button>
      </div>
    </div>
  )
}

function SenderNotice({ preview }: { preview: SharePreview }) {
  const { sender } = preview
  if (sender.trust === 'changed') {
    return (
      <div className={styles.notice} data-tone="danger" role="alert" data-testid="sender-notice">
        <p className={styles.noticeTitle}>Warning: {sender.name}’s keys have changed</p>
        <p>
          Your contact “{sender.contact?.name}” has the fingerprint{' '}
          <span className="mono">{sender.contact?.fingerprint}</span>; this share was signed by{' '}
          <span className="mono">{sender.fingerprint}</span>. They may have a new computer — or
          someone else is pretending to be them.
        </p>
        <p>
          Call {sender.name} and compare fingerprints before you import. Trusting replaces the keys
          you have for them.
        </p>
      </div>
    )
  }
  if (sender.trust === 'unknown') {
    return (
      <div className={styles.notice} role="alert" data-testid="sender-notice">
        <p className={styles.noticeTitle}>Unknown sender</p>
        <p>
          “{sender.name}” is not one of your contacts. The share is signed with the fingerprint{' '}
          <span className="mono">{sender.fingerprint}</span>. Compare it with them (by voice or in
          person) before you import; trusting adds them to your contacts.
        </p>
      </div>
    )
  }
  return (
    <p className={styles.notice} data-tone="info" data-testid="sender-notice">
      Signed by your contact {sender.contact?.name ?? sender.name}
      {sender.trust === 'verified' ? ' (verified).' : ' (not yet verified: compare fingerprints).'}
    </p>
  )
}
