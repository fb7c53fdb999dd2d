import { ShieldCheck } from 'lucide-react'
import { useApplyChanges, useEnvironments } from '../../api/environments'
import { ErrorNotice } from '../../components/ErrorNotice'
import {
  needsConfirmation,
  useProtectedConfirmation,
} from '../environments/useProtectedConfirmation'

/**
 * A verify refused because the connection is authorized nowhere: offers to authorize it for the
 * first unprotected environment (the form's suggestion) and verify there, in one click. A
 * protected one, when that is all there is, is asked about as in the matrix.
 */
export function AuthorizeAndVerify({
  connectionId,
  verify,
}: {
  connectionId: string
  verify: (environmentId: string) => void
}) {
  const environments = useEnvironments()
  const apply = useApplyChanges()
  const { run, dialog } = useProtectedConfirmation()
  const target =
    environments.data?.find((env) => !env.protected) ?? environments.data?.[0] ?? undefined
  if (!target) return null
  const authorizeAndVerify = async () => {
    const applied = await run((confirmed) =>
      apply.mutateAsync({
        grants: [{ connectionId, environmentId: target.id }],
        ...(confirmed ? { confirmProtected: true } : {}),
      }),
    )
    if (applied) verify(target.id)
  }
  return (
    <>
      <button
        type="button"
        className="button primary"
        disabled={apply.isPending}
        onClick={() => void authorizeAndVerify().catch(() => undefined)}
      >
        <ShieldCheck aria-hidden="true" />
        Authorize for {target.name} and verify
      </button>
      {apply.error && !needsConfirmation(apply.error) && (
        <ErrorNotice error={apply.error} title="The connection was not authorized" />
      )}
      {dialog}
    </>
  )
}
