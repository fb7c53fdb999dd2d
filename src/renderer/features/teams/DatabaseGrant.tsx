import type { LoginGrantView } from '../../api/teams'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { SnippetBlock } from '../connections/details/UseItPanel'
import styles from './Teams.module.css'

/**
 * The member's PostgreSQL login, optional: given, the grant (or revoke) of their team role's
 * database role is run at once when your login may; otherwise the statements are shown to pass on.
 */
export function DatabaseLoginField({
  id,
  value,
  onChange,
  error,
}: {
  id: string
  value: string
  onChange: (value: string) => void
  error?: string | undefined
}) {
  return (
    <FormField
      id={id}
      label="Their database login (optional)"
      error={error}
      help="Given, the statements for it are run now when your login may grant roles; empty, you get them to pass on to the database administrator."
    >
      {(control) => (
        <input
          {...control}
          className="input mono"
          autoComplete="off"
          spellCheck={false}
          maxLength={63}
          placeholder="bob_login"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FormField>
  )
}

/** A membership change done: what it did, and what the member's database login needs now. */
export interface MemberOutcome {
  title: string
  message: string
  database: LoginGrantView
  /** After a full member left: connections whose secrets they could read (rotate, push again). */
  rotate?: string[] | undefined
}

export function MemberOutcomeDialog({
  outcome,
  onClose,
  onShowRotations,
}: {
  outcome: MemberOutcome
  onClose: () => void
  /** Closes the dialog and shows the team's Secrets to rotate (Connections tab). */
  onShowRotations?: () => void
}) {
  const { database } = outcome
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={outcome.title}
      size="wide"
      description={<p>{outcome.message}</p>}
    >
      <div data-testid="database-grant">
        {database.applied ? (
          <p className={styles.explain}>
            <strong>Done in the database:</strong> these statements were run on their login.
          </p>
        ) : database.refused ? (
          <ErrorNotice
            title="The database refused these statements: the database administrator runs them"
            error={{ code: 'FORBIDDEN', message: database.refused }}
          />
        ) : (
          <p className={styles.explain}>
            <strong>Not done yet:</strong> the database administrator runs these statements, with
            the member’s login in place of <code>&lt;their login&gt;</code>.
          </p>
        )}
        <SnippetBlock label="Database statements" text={database.statements.join(';\n') + ';'} />
        {outcome.rotate && outcome.rotate.length > 0 && (
          <p className={styles.explain} data-testid="rotate-outcome">
            <strong>Rotate:</strong> they could read the secrets of {outcome.rotate.join(', ')}.
            Removing them cannot make them forget those: rotate them at their source and push them
            again. This vault keeps the list until each is done.{' '}
            {onShowRotations && (
              <button type="button" className="button small" onClick={onShowRotations}>
                Show the secrets to rotate ({outcome.rotate.length})
              </button>
            )}
          </p>
        )}
      </div>
      <DialogActions>
        <button type="button" className="button primary" onClick={onClose}>
          Done
        </button>
      </DialogActions>
    </Dialog>
  )
}
