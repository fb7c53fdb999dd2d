import { useState, type FormEvent } from 'react'
import { getCapability, type AwsCapabilityId } from '../../../../shared/aws/capabilities'
import { policyDiff, type PolicyDiff } from '../../../../shared/aws/iam-policy'
import { updateStackCommand } from '../../../../shared/aws/stack-commands'
import { useUpdateConnection, type ConnectionDetail } from '../../../api/connections'
import { Dialog, DialogActions } from '../../../components/Dialog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { useToast } from '../../../components/Toast'
import { CapabilityPicker, noCapabilityChosen, pickedCapabilities } from '../form/CapabilityPicker'
import { AwsRoleFiles, templateFilename } from './AwsRoleFiles'
import styles from './AwsSetup.module.css'

interface Props {
  detail: ConnectionDetail
  current: AwsCapabilityId[]
  open: boolean
  onOpenChange: (open: boolean) => void
}

/**
 * Reconnecting with other capabilities: the same connection (id, environments, history) saved
 * through the ordinary update, after showing what the change grants and takes away; then the
 * updated policy and template to apply to the role.
 */
export function ChangeCapabilitiesDialog({ detail, current, open, onOpenChange }: Props) {
  const [value, setValue] = useState(current.join(','))
  const [saved, setSaved] = useState<AwsCapabilityId[] | undefined>()
  const update = useUpdateConnection()
  const notify = useToast()
  const next = pickedCapabilities(value)
  const problem = noCapabilityChosen({ capabilities: value })
  const diff = policyDiff(current, next)
  const unchanged = diff.addedCapabilities.length + diff.removedCapabilities.length === 0
  const close = (state: boolean) => {
    if (!state) setSaved(undefined)
    onOpenChange(state)
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (problem || unchanged) return
    try {
      await update.mutateAsync({ id: detail.id, values: { capabilities: next.join(',') } })
    } catch {
      return // Shown below the diff (update.error).
    }
    notify({ tone: 'success', message: `“${detail.name}” now has ${next.length} capabilities.` })
    setSaved(next)
  }

  if (saved)
    return (
      <Dialog open={open} onOpenChange={close} title="Capabilities changed" size="wide">
        <p className={styles.note}>
          Bridgekeep now uses {detail.name} for these capabilities only. Apply the updated policy to
          the {detail.authMode === 'cross-account' ? 'role' : 'user or role'} in AWS
          {detail.authMode === 'cross-account' ? ' (update the stack with the new template)' : ''}:
        </p>
        <AwsRoleFiles
          slug={detail.slug}
          capabilities={saved}
          crossAccount={detail.authMode === 'cross-account'}
        />
        {detail.authMode === 'cross-account' && (
          <div className={styles.block}>
            <p className={styles.note}>
              The stack keeps its parameters, so the role and its ARN stay the same:
            </p>
            <pre className={styles.command} aria-label="aws CLI update command">
              {updateStackCommand(
                { region: detail.config.default_region ?? 'us-east-1' },
                templateFilename(detail.slug),
              ).join('\n')}
            </pre>
          </div>
        )}
        <DialogActions>
          <button type="button" className="button primary" onClick={() => close(false)}>
            Done
          </button>
        </DialogActions>
      </Dialog>
    )

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Change capabilities"
      size="wide"
      description="The connection keeps its id, environments and history; only what its policy grants changes."
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <CapabilityPicker
          id="change-capabilities"
          legend="Capabilities"
          value={value}
          error={problem}
          onChange={setValue}
        />
        <section aria-labelledby="capability-diff-title" className={styles.block}>
          <h3 id="capability-diff-title" className={styles.subtitle}>
            What changes
          </h3>
          {unchanged ? (
            <p className={styles.note}>
              Nothing yet: these are the connection&apos;s capabilities.
            </p>
          ) : (
            <DiffList diff={diff} />
          )}
        </section>
        {update.error && (
          <ErrorNotice error={update.error} title="The capabilities could not be saved" />
        )}
        <DialogActions>
          <button type="button" className="button" onClick={() => close(false)}>
            Cancel
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={Boolean(problem) || unchanged || update.isPending}
          >
            Save capabilities
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

const labels = (ids: readonly AwsCapabilityId[]) =>
  ids.map((id) => getCapability(id).label).join(', ')

function DiffList({ diff }: { diff: PolicyDiff }) {
  const rows: [string, string, boolean?][] = [
    ['Capabilities added', labels(diff.addedCapabilities)],
    ['Capabilities removed', labels(diff.removedCapabilities)],
    [`Actions granted (${diff.addedActions.length})`, diff.addedActions.join(', '), true],
    [`Actions taken away (${diff.removedActions.length})`, diff.removedActions.join(', '), true],
    ['iam:PassRole now also to', diff.addedPassRoleServices.join(', ')],
    ['iam:PassRole no longer to', diff.removedPassRoleServices.join(', ')],
  ]
  return (
    <dl className={styles.diff} data-testid="capability-diff">
      {rows
        .filter(([, text]) => text !== '')
        .map(([title, text, actions]) => (
          <div key={title}>
            <dt>{title}</dt>
            <dd className={actions ? styles.actions : undefined} tabIndex={actions ? 0 : undefined}>
              {text}
            </dd>
          </div>
        ))}
    </dl>
  )
}
