import { FilePlus2 } from 'lucide-react'
import { useState } from 'react'
import { awsProfileRequestSchema, profileSection } from '../../../../shared/aws-profile'
import type { AwsProfilePreview } from '../../../../shared/aws-profile'
import type { Environment } from '../../../../shared/environments'
import { usePreviewAwsProfile, useWriteAwsProfile } from '../../../api/aws-config'
import type { ConnectionDetail } from '../../../api/connections'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { FormField } from '../../../components/FormField'
import { useToast } from '../../../components/Toast'
import { SnippetBlock } from './UseItPanel'
import styles from './UseItPanel.module.css'

/**
 * The AWS profile whose credentials come from `bridgekeep aws credential-process`: shown to copy,
 * and written to ~/.aws/config after a preview of exactly what goes there (one section; every
 * other line of the file is left as it is, and a profile of that name is replaced only when the
 * user says so).
 */
export function AwsProfile({
  detail,
  environment,
}: {
  detail: ConnectionDetail
  environment: Pick<Environment, 'slug' | 'name'>
}) {
  const [profile, setProfile] = useState(`${detail.slug}-${environment.slug}`)
  const [shownFor, setShownFor] = useState(environment.slug)
  // Another environment picked: the suggested name follows it.
  if (shownFor !== environment.slug) {
    setShownFor(environment.slug)
    setProfile(`${detail.slug}-${environment.slug}`)
  }
  const request = {
    profile,
    connection: detail.slug,
    environment: environment.slug,
    ...(detail.config.default_region ? { region: detail.config.default_region } : {}),
  }
  const checked = awsProfileRequestSchema.safeParse(request)
  const problem = checked.success ? undefined : checked.error.issues[0]?.message
  const preview = usePreviewAwsProfile()
  const write = useWriteAwsProfile()
  const [pending, setPending] = useState<AwsProfilePreview | null>(null)
  const notify = useToast()

  return (
    <div className={styles.aws}>
      <h3 className={styles.subTitle}>AWS CLI and SDK profile</h3>
      <p className={styles.intro}>
        With this profile in <code>~/.aws/config</code>, <code>aws --profile {profile}</code> and
        every SDK ask Bridgekeep for the keys each time; nothing secret is written to the file.
      </p>
      <FormField
        id="aws-profile-name"
        label="Profile name"
        error={problem}
        help="The name you give --profile or AWS_PROFILE."
      >
        {(control) => (
          <input
            {...control}
            className={`input mono ${styles.profileInput}`}
            autoComplete="off"
            spellCheck={false}
            value={profile}
            onChange={(event) => setProfile(event.target.value)}
          />
        )}
      </FormField>
      <SnippetBlock label="Profile for ~/.aws/config" text={profileSection(request).join('\n')} />
      <div className={styles.actions}>
        <button
          type="button"
          className="button"
          disabled={problem !== undefined || preview.isPending}
          onClick={() => {
            write.reset()
            preview.mutate(request, { onSuccess: setPending })
          }}
        >
          <FilePlus2 aria-hidden="true" />
          Add to ~/.aws/config…
        </button>
      </div>
      {preview.isError && (
        <ErrorNotice error={preview.error} title="The AWS config file could not be read" />
      )}
      {pending && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setPending(null)}
          title={
            pending.exists
              ? `Replace the profile “${pending.profile}”?`
              : `Add the profile “${pending.profile}”?`
          }
          confirmLabel={pending.exists ? 'Replace this profile' : 'Add profile'}
          tone={pending.exists ? 'danger' : 'default'}
          description={
            <>
              <p>
                {pending.exists
                  ? `${pending.path} already has a profile named “${pending.profile}”. Only that profile’s section is replaced with:`
                  : `This section is added at the end of ${pending.path}; nothing else in the file changes:`}
              </p>
              <pre className={styles.code} data-testid="aws-profile-preview">
                <code>{pending.section}</code>
              </pre>
            </>
          }
          onConfirm={async () => {
            const written = await write.mutateAsync({ ...request, replace: pending.exists })
            setPending(null)
            notify({
              tone: 'success',
              message: `Profile “${written.profile}” ${written.replaced ? 'replaced in' : 'added to'} ${written.path}.`,
            })
          }}
        />
      )}
    </div>
  )
}
