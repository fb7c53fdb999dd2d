import { useState } from 'react'
import { isBridgekeepError } from '../../../shared/errors'
import {
  useDeleteRunner,
  useIssueCredentials,
  type EnrollmentFile,
  type KnownRunner,
} from '../../api/runner'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog } from '../../components/Dialog'
import { useToast } from '../../components/Toast'
import { CredentialsFile } from './CredentialsFile'

/** A remote runner's row buttons: new credentials (revoking its current ones) and delete. */
export function RunnerRowActions({ runner }: { runner: KnownRunner }) {
  const regenerate = useIssueCredentials('regenerate')
  const remove = useDeleteRunner()
  const notify = useToast()
  const [confirming, setConfirming] = useState<'regenerate' | 'delete' | null>(null)
  const [issued, setIssued] = useState<EnrollmentFile | null>(null)
  // Main refused the delete because connections name the runner: the next try passes force.
  const [refused, setRefused] = useState(false)
  const { name } = runner

  const deleteRunner = async () => {
    try {
      const result = await remove.mutateAsync({ name, force: refused })
      notify({
        tone: 'success',
        message:
          result.connections.length > 0
            ? `Runner ${name} deleted. ${result.connections.length} connection(s) still name it: choose another runner for them.`
            : `Runner ${name} deleted; its credentials are revoked.`,
      })
    } catch (failure) {
      if (isBridgekeepError(failure) && failure.code === 'CONFLICT') setRefused(true)
      throw failure
    }
  }

  return (
    <>
      <button type="button" className="button small" onClick={() => setConfirming('regenerate')}>
        {/* One flex item: the button's gap would otherwise space out the hidden words. */}
        <span>
          New credentials<span className="visually-hidden"> for {name}</span>…
        </span>
      </button>
      <button
        type="button"
        className="button small danger"
        onClick={() => {
          setRefused(false)
          setConfirming('delete')
        }}
      >
        <span>
          Delete<span className="visually-hidden"> {name}</span>…
        </span>
      </button>
      <ConfirmDialog
        open={confirming === 'regenerate'}
        onOpenChange={(open) => setConfirming(open ? 'regenerate' : null)}
        title={`New credentials for ${name}?`}
        tone="danger"
        confirmLabel="Revoke and create new"
        description={
          <p>
            Runner {name}'s current certificate and API key are revoked at once: if it is running,
            it is cut off now and cannot connect again until it is restarted with the new file.
            Other runners are not affected.
          </p>
        }
        onConfirm={async () => setIssued(await regenerate.mutateAsync({ name }))}
      />
      <ConfirmDialog
        open={confirming === 'delete'}
        onOpenChange={(open) => setConfirming(open ? 'delete' : null)}
        title={`Delete runner ${name}?`}
        tone="danger"
        confirmLabel={refused ? 'Delete anyway' : 'Delete'}
        description={
          refused ? (
            <p>
              Deleting it anyway makes the operations of those connections fail, naming the fix,
              until you choose another runner for them.
            </p>
          ) : (
            <p>
              Its credentials are revoked and it is forgotten: if it is running, it is cut off now.
              To use that machine again, add a runner and give it the new file.
            </p>
          )
        }
        onConfirm={deleteRunner}
      />
      {issued && (
        <Dialog
          open
          locked
          onOpenChange={() => setIssued(null)}
          title={`Credentials for ${issued.name}`}
        >
          <CredentialsFile file={issued} onDone={() => setIssued(null)} />
        </Dialog>
      )}
    </>
  )
}
