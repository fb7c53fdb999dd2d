import { Download } from 'lucide-react'
import type { AwsCapabilityId } from '../../../../shared/aws/capabilities'
import { roleTemplate } from '../../../../shared/aws/cloudformation'
import { generatePolicies } from '../../../../shared/aws/iam-policy'
import { downloadText } from '../../../lib/downloadText'
import styles from './AwsSetup.module.css'

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** The file name of the role template a connection's setup downloads (also in the CLI command). */
export const templateFilename = (slug: string) => `bridgekeep-${slug}-role.json`

/**
 * Downloads of the IAM policy for the capabilities (one file per managed policy when they exceed
 * AWS's size limit for one) and, for a role to assume, the CloudFormation template creating it.
 */
export function AwsRoleFiles({
  slug,
  capabilities,
  crossAccount,
}: {
  slug: string
  capabilities: readonly AwsCapabilityId[]
  crossAccount: boolean
}) {
  const policies = generatePolicies(capabilities)
  const policyFile = (index: number) =>
    policies.length === 1
      ? `bridgekeep-${slug}-policy.json`
      : `bridgekeep-${slug}-policy-${index + 1}-of-${policies.length}.json`
  return (
    <div className={styles.files}>
      {policies.map((policy, index) => (
        <button
          key={policyFile(index)}
          type="button"
          className="button"
          onClick={() => downloadText(policyFile(index), 'application/json', json(policy.document))}
        >
          <Download aria-hidden="true" />
          {policies.length === 1
            ? 'Download IAM policy'
            : `Download IAM policy ${index + 1} of ${policies.length}`}
        </button>
      ))}
      {crossAccount && (
        <button
          type="button"
          className="button"
          onClick={() =>
            downloadText(
              templateFilename(slug),
              'application/json',
              json(roleTemplate(capabilities)),
            )
          }
        >
          <Download aria-hidden="true" />
          Download CloudFormation template
        </button>
      )}
      {policies.length > 1 && (
        <p className={styles.note}>
          All of these together exceed the 6,144 characters AWS allows in one managed policy: attach
          each of the {policies.length} policies to the same user or role.
        </p>
      )}
    </div>
  )
}
