import { useState } from 'react'
import { DEFAULT_STACK_NAME } from '../../../../shared/aws/cloudformation'
import type { AwsRoleCheck, CheckAwsRoleInput } from '../../../../shared/aws-role-check'
import { useCheckAwsRole, type ConnectionDetail } from '../../../api/connections'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { SetupInput } from './SetupInput'
import styles from './AwsSetup.module.css'

/**
 * The role's ARN read back, from the stack's RoleArn output (read through the runner with the
 * identity that will assume the role) or pasted, and assumed with the external ID before it is
 * saved. A failed check saves nothing; the user may then save it anyway.
 */
export function SaveRole({ detail }: { detail: ConnectionDetail }) {
  const [stackName, setStackName] = useState(DEFAULT_STACK_NAME)
  const [pasted, setPasted] = useState('')
  const check = useCheckAwsRole()
  const [last, setLast] = useState<AwsRoleCheck>()
  const run = (input: Omit<CheckAwsRoleInput, 'connectionId'>) => {
    setLast(undefined)
    check.mutate({ connectionId: detail.id, ...input }, { onSuccess: setLast })
  }
  const problem = last?.problem
  return (
    <div className={styles.block} aria-labelledby="aws-save-role-title">
      <h3 id="aws-save-role-title" className={styles.subtitle}>
        Save the role
      </h3>
      <div className={styles.inputs}>
        <SetupInput
          id="aws-role-stack"
          label="Stack name"
          help="The stack made from the template, in the connection's default region. It is read with the identity that assumes the role."
          error={undefined}
          placeholder={DEFAULT_STACK_NAME}
          value={stackName}
          onChange={setStackName}
        />
        <SetupInput
          id="aws-role-arn"
          label="Or paste the role ARN"
          help="The stack's RoleArn output, e.g. from the console's Outputs tab."
          error={undefined}
          placeholder="arn:aws:iam::210987654321:role/bridgekeep-access"
          value={pasted}
          onChange={setPasted}
        />
      </div>
      <div className={styles.files}>
        <button
          type="button"
          className="button primary small"
          disabled={check.isPending || !stackName.trim()}
          onClick={() => run({ stackName: stackName.trim() })}
        >
          Read role from stack
        </button>
        <button
          type="button"
          className="button small"
          disabled={check.isPending || !pasted.trim()}
          onClick={() => run({ roleArn: pasted.trim() })}
        >
          Check and save
        </button>
        <p className={styles.note} role="status">
          {check.isPending
            ? 'Checking the role (AssumeRole with the external ID)…'
            : last?.saved && !problem
              ? `Saved: ${last.roleArn} was assumed as ${last.assumedArn ?? 'its session'}.`
              : last?.saved
                ? `Saved anyway: ${last.roleArn}.`
                : `The role is now ${detail.config.role_arn ?? 'not set'}; it is saved only once it can be assumed.`}
        </p>
      </div>
      {check.isError && <ErrorNotice error={check.error} title="The role was not checked" />}
      {problem && (
        <ErrorNotice
          error={{ code: 'OPERATION_FAILED', message: problem.message, hint: problem.remedy }}
          title={last?.saved ? 'Saved, but the check failed' : 'The role was not saved'}
          action={
            !last?.saved && last?.roleArn ? (
              <button
                type="button"
                className="button small"
                onClick={() => run({ roleArn: last.roleArn!, saveAnyway: true })}
              >
                Save anyway
              </button>
            ) : undefined
          }
        />
      )}
      {last?.warnings?.map((warning) => (
        <p key={warning} className={styles.note}>
          {warning}
        </p>
      ))}
    </div>
  )
}
