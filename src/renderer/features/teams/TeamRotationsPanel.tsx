import { RotateCw, TriangleAlert } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useConnection } from '../../api/connections'
import {
  useDismissRotation,
  usePushTeamConnection,
  useTeamRotations,
  type TeamRotationView,
  type TeamSummary,
} from '../../api/teams'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { getProvider } from '../connections/catalog'
import { RotateDialog } from '../connections/details/RotateDialog'
import styles from './Teams.module.css'

/** Where the removal outcome's link lands: the panel's heading takes the focus. */
const ROTATIONS_HEADING_ID = 'team-rotations-title'

const when = (iso: string) => new Date(iso).toLocaleString()
const readersOf = (r: TeamRotationView) => r.readers.map((p) => p.name).join(', ')
const leftOf = (r: TeamRotationView) =>
  r.readers.map((p) => `${p.name} (left ${when(p.leftAt)})`).join(', ')

/**
 * Admins: the team connections a full member who left could read, until each is rotated (a new
 * secret written here, then pushed to the team) or dismissed as rotated elsewhere. Removal gave
 * every connection a new key they do not hold; what they read, it cannot make them forget.
 * Nothing to rotate: the panel is not shown.
 */
export function TeamRotationsPanel({
  team,
  focus = false,
  onFocused,
}: {
  team: TeamSummary
  /** Move the focus to the heading once the list is shown (the removal outcome's link). */
  focus?: boolean
  onFocused?: () => void
}) {
  const rotations = useTeamRotations(team.name)
  const push = usePushTeamConnection()
  const dismiss = useDismissRotation()
  const [rotating, setRotating] = useState<TeamRotationView | null>(null)
  const [dismissing, setDismissing] = useState<TeamRotationView | null>(null)
  const [pushing, setPushing] = useState<TeamRotationView | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const shown = (rotations.data?.rotations.length ?? 0) > 0
  useEffect(() => {
    if (!focus || !shown) return
    heading.current?.focus()
    onFocused?.()
  }, [focus, shown, onFocused])
  if (rotations.isPending) return null
  if (rotations.isError)
    return <ErrorNotice error={rotations.error} title="The secrets to rotate could not be read" />
  const list = rotations.data.rotations
  // Nothing to rotate, and no dialog or push of the last one still showing: no panel.
  if (list.length === 0 && !rotating && !dismissing && !pushing) return null
  const pushAfterRotation = (r: TeamRotationView) => {
    setPushing(r)
    push.mutate({ team: team.name, connection: r.local!.slug })
  }
  return (
    <section
      className={styles.rotations}
      aria-labelledby={ROTATIONS_HEADING_ID}
      data-testid="team-rotations"
    >
      <h3 id={ROTATIONS_HEADING_ID} className={styles.subTitle} tabIndex={-1} ref={heading}>
        <TriangleAlert aria-hidden="true" />
        Secrets to rotate ({list.length})
      </h3>
      {list.length === 0 ? (
        <p className={styles.explain}>Nothing left to rotate.</p>
      ) : (
        <>
          <p className={styles.explain}>
            A member who left could read these secrets. Removing them gave each connection a new key
            they do not hold, but it cannot make them forget what they already read: rotate each
            secret at its source, and the new version is pushed to the team.
          </p>
          <ul className={styles.rotationList} aria-label={`Secrets to rotate in ${team.name}`}>
            {list.map((r) => (
              <li key={r.connectionId} data-testid="team-rotation-row">
                <div>
                  <strong>{r.name}</strong>
                  <span className={styles.teamWhere}> could be read by {leftOf(r)}</span>
                </div>
                <div className={styles.actions}>
                  {r.local ? (
                    <button
                      type="button"
                      className="button small primary"
                      aria-label={`Rotate ${r.name} and push it…`}
                      onClick={() => setRotating(r)}
                    >
                      <RotateCw aria-hidden="true" />
                      {r.local.provider === 'aws' && r.local.authMode === 'inline'
                        ? 'Rotate key and push…'
                        : 'Rotate and push…'}
                    </button>
                  ) : (
                    <span className={styles.teamWhere}>
                      No connection of this name in this vault: rotate it where it lives.
                    </span>
                  )}
                  <button
                    type="button"
                    className="button small"
                    aria-label={`I rotated ${r.name} elsewhere…`}
                    onClick={() => setDismissing(r)}
                  >
                    I rotated it elsewhere…
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {pushing && push.isPending && (
        <Spinner label={`Pushing the new secrets of ${pushing.name} to the team`} />
      )}
      {pushing && push.isError && (
        <ErrorNotice
          error={push.error}
          title={`${pushing.name} was rotated here, but not pushed to the team`}
          action={
            <button type="button" className="button" onClick={() => pushAfterRotation(pushing)}>
              Push again
            </button>
          }
        />
      )}
      {pushing && push.data && !push.isPending && (
        <p className={styles.explain} role="status" data-testid="team-rotation-pushed">
          {push.data.rotated
            ? `${push.data.name} rotated and pushed: the team now holds version ${push.data.version}.`
            : `${push.data.name} is pushed, but its secrets are the ones a member who left could read: it stays on the list.`}
        </p>
      )}
      {rotating && (
        <RotateForTeam
          rotation={rotating}
          onClose={() => setRotating(null)}
          onRotated={() => pushAfterRotation(rotating)}
        />
      )}
      <ConfirmDialog
        open={dismissing !== null}
        onOpenChange={(open) => !open && setDismissing(null)}
        title={`Did you rotate “${dismissing?.name ?? ''}” elsewhere?`}
        description={
          <p>
            It leaves this list, and your audit trail records that you said so. Only do this once
            the secret {dismissing ? readersOf(dismissing) : ''} could read no longer works.
          </p>
        }
        confirmLabel="It is rotated"
        onConfirm={() =>
          dismiss.mutateAsync({ team: team.name, connection: dismissing!.connectionId })
        }
      />
    </section>
  )
}

/** The Rotate dialog of this vault's connection of that name; a new version is then pushed. */
function RotateForTeam({
  rotation,
  onClose,
  onRotated,
}: {
  rotation: TeamRotationView
  onClose: () => void
  onRotated: () => void
}) {
  const detail = useConnection(rotation.local!.id)
  if (detail.isPending) return <Spinner label={`Opening ${rotation.name}`} />
  if (detail.isError)
    return <ErrorNotice error={detail.error} title={`${rotation.name} could not be opened`} />
  const provider = getProvider(detail.data.provider)
  if (!provider)
    return (
      <ErrorNotice
        error={{
          code: 'NOT_SUPPORTED',
          message: `This version does not know provider ${detail.data.provider}.`,
        }}
      />
    )
  return (
    <RotateDialog
      detail={detail.data}
      provider={provider}
      open
      onOpenChange={(open) => !open && onClose()}
      onRotated={onRotated}
    />
  )
}
