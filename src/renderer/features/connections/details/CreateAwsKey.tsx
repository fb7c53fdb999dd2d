import { useRotateAwsKey } from '../../../api/connections'
import { ErrorNotice } from '../../../components/ErrorNotice'
import type { AwsKeyRotation } from '../../../../shared/aws-key-rotation'
import styles from './AwsSetup.module.css'

interface Props {
  connectionId: string
  onRotated: (rotation: AwsKeyRotation) => void
}

/**
 * The Rotate dialog's other way for an AWS access key: the runner creates the user's next key in
 * IAM with the current one, the app stores and verifies it, then the old key is deactivated.
 */
export function CreateAwsKey({ connectionId, onRotated }: Props) {
  const rotate = useRotateAwsKey()
  const run = async () => {
    try {
      onRotated(await rotate.mutateAsync(connectionId))
    } catch {
      // Shown below from the mutation's error.
    }
  }
  return (
    <section aria-label="Create a new key in AWS">
      <p>
        Or let Bridgekeep do it: the current key creates its user’s next access key in IAM, which is
        stored as the new version and verified; the old key is then deactivated (not deleted). The
        key needs iam:GetUser, iam:CreateAccessKey and iam:UpdateAccessKey on its own user.
      </p>
      <button
        type="button"
        className="button"
        disabled={rotate.isPending}
        onClick={() => void run()}
      >
        {rotate.isPending
          ? 'Creating, storing and verifying the new key…'
          : 'Create a new key in AWS'}
      </button>
      {rotate.isPending && (
        <p role="status">IAM can take a few seconds before a new key works; waiting for it.</p>
      )}
      {rotate.isError && <ErrorNotice error={rotate.error} title="No new key was created" />}
    </section>
  )
}

/** The one aws CLI command a note ends with, if any: shown apart, to be copied whole. */
const COMMAND = /^(.*?)\s*(aws iam [^\n]+)$/s

/**
 * What is left to do after a new key was created: delete the old key once nothing uses it, or,
 * when the new key did not verify in time or the old one could not be deactivated, the command
 * that finishes the job. The dialog stays open for it, since a toast would be gone before the
 * command could be copied.
 */
export function AwsKeyNote({ rotation }: { rotation: AwsKeyRotation }) {
  if (!rotation.note) return null
  const unfinished = !rotation.verified || !rotation.oldKeyDeactivated
  const [, prose = rotation.note, command] = COMMAND.exec(rotation.note) ?? []
  return (
    <section className={styles.block} aria-label="Still to do" data-testid="aws-key-note">
      <p role="status">
        {unfinished && <strong>Not finished: </strong>}
        {prose}
      </p>
      {command && (
        <pre className={styles.command} aria-label="aws CLI command">
          {command}
        </pre>
      )}
    </section>
  )
}
