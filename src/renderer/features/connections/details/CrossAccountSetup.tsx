import { Copy, ExternalLink } from 'lucide-react'
import { useState } from 'react'
import { quickCreateUrl } from '../../../../shared/aws/cloudformation'
import { createStackCommand, roleArnCommand } from '../../../../shared/aws/stack-commands'
import { parsePrincipal } from '../../../../shared/aws/trust-policy'
import type { ConnectionDetail } from '../../../api/connections'
import { useToast } from '../../../components/Toast'
import { copyText } from '../../../lib/copyText'
import { templateFilename } from './AwsRoleFiles'
import { SaveRole } from './SaveRole'
import { SetupInput } from './SetupInput'
import styles from './AwsSetup.module.css'

/** An https URL, or the problem with it. */
function templateUrlProblem(text: string): string | undefined {
  try {
    if (new URL(text).protocol === 'https:') return undefined
  } catch {
    // Reported below as not a URL.
  }
  return 'Template URL: give the https URL of the uploaded template, e.g. https://my-bucket.s3.eu-west-1.amazonaws.com/bridgekeep-role.json.'
}

/**
 * Creating the role to assume from the template: the principal that assumes it (a template
 * parameter, as is the external ID, which comes from the connection and is never made up
 * here), a Quick Create link once the template is hosted in S3, or the aws CLI command that
 * creates the stack from the downloaded file, and where the role ARN comes from.
 */
export function CrossAccountSetup({ detail }: { detail: ConnectionDetail }) {
  const [principalText, setPrincipalText] = useState('')
  const [urlText, setUrlText] = useState('')
  const notify = useToast()
  const externalId = detail.config.external_id
  const region = detail.config.default_region ?? 'us-east-1'
  const principal = principalText.trim() ? parsePrincipal(principalText) : undefined
  const urlProblem = urlText.trim() ? templateUrlProblem(urlText.trim()) : undefined
  const principalArn = principal?.ok ? principal.arn : '<principal ARN>'
  const stack = { region, externalId: externalId ?? '<external ID>', principal: principalArn }
  const command = [
    ...createStackCommand(stack, templateFilename(detail.slug)),
    '',
    "# Once the stack is created, the role's ARN:",
    roleArnCommand(stack),
  ].join('\n')
  const link =
    principal?.ok && externalId && urlText.trim() && !urlProblem
      ? quickCreateUrl({ ...stack, principal: principal.arn, templateUrl: urlText.trim() })
      : undefined

  return (
    <div className={styles.block}>
      <h3 className={styles.subtitle}>Create the role</h3>
      <div className={styles.inputs}>
        <SetupInput
          id="aws-setup-principal"
          label="Principal that assumes the role"
          help="The IAM user or role Bridgekeep acts as (aws sts get-caller-identity shows it), or a 12-digit account ID."
          error={principal && !principal.ok ? `Principal: ${principal.problem}` : undefined}
          placeholder="e.g. arn:aws:iam::111122223333:role/ci-runner"
          value={principalText}
          onChange={setPrincipalText}
        />
        <SetupInput
          id="aws-setup-template-url"
          label="Template URL (Amazon S3)"
          help="The AWS console's Quick Create loads a template only from Amazon S3: upload the downloaded template to a bucket of yours and paste its https URL for the link."
          error={urlProblem}
          placeholder="https://my-bucket.s3.amazonaws.com/bridgekeep-role.json"
          value={urlText}
          onChange={setUrlText}
        />
      </div>
      {link ? (
        <p className={styles.note}>
          <a className="button primary" href={link} target="_blank" rel="noreferrer">
            <ExternalLink aria-hidden="true" />
            Open Quick Create in the AWS console
          </a>{' '}
          The console asks you to review the stack and acknowledge that it creates IAM resources.
        </p>
      ) : (
        <p className={styles.note}>
          The Quick Create link needs the principal and the template&apos;s S3 URL. Without hosting
          the template, create the stack from the downloaded file with the aws CLI:
        </p>
      )}
      <pre className={styles.command} aria-label="aws CLI commands">
        {command}
      </pre>
      <div className={styles.files}>
        <button
          type="button"
          className="button small"
          onClick={() =>
            copyText(command).then(
              () => notify({ tone: 'success', message: 'The aws CLI commands were copied.' }),
              () => notify({ tone: 'error', message: 'The commands could not be copied.' }),
            )
          }
        >
          <Copy aria-hidden="true" />
          Copy commands
        </button>
      </div>
      <SaveRole detail={detail} />
    </div>
  )
}
