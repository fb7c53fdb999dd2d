import { useConnections } from '../../../api/connections'
import type { FieldControlProps } from '../../../components/FormField'
import { REFERENCE_KINDS, type ReferenceKind } from '../../../../shared/secret-reference'
import {
  checkDraft,
  REFERENCE_KIND_LABELS,
  referenceParts,
  type DraftPart,
  type ReferenceDraft,
} from './reference-draft'
import styles from './ReferenceInputs.module.css'

interface Props {
  /** The field's control wiring (id, aria-*): it goes on the kind select. */
  control: FieldControlProps
  draft: ReferenceDraft
  /** The field shows an error: the input it is about is marked invalid. */
  invalid: boolean
  onChange: (draft: ReferenceDraft) => void
  onBlur: () => void
}

/**
 * A secret field in "Reference" mode: where the value is read at each use (a kind, then that
 * kind's inputs). The Kubernetes kinds pick one of the vault's Kubernetes connections.
 */
export function ReferenceInputs({ control, draft, invalid, onChange, onBlur }: Props) {
  const checked = invalid ? checkDraft(draft) : undefined
  // An error the draft itself does not explain (main's) marks the kind select.
  const invalidPart: DraftPart | 'kind' | undefined = checked
    ? checked.ok
      ? 'kind'
      : checked.part
    : undefined
  const set = (part: DraftPart, value: string) => onChange({ ...draft, [part]: value })
  const partId = (part: DraftPart) => `${control.id}-ref-${part}`
  const errorId = control['aria-describedby']?.split(' ').find((id) => id.endsWith('-error'))
  return (
    <div className={styles.reference}>
      <div className={`${styles.part} ${styles.kind}`}>
        <select
          {...control}
          aria-invalid={invalidPart === 'kind' ? true : undefined}
          className="input"
          value={draft.kind}
          onChange={(event) => onChange({ ...draft, kind: event.target.value as ReferenceKind })}
          onBlur={onBlur}
        >
          {REFERENCE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {REFERENCE_KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </div>
      {referenceParts(draft.kind).map(({ part, label }) => {
        const isInvalid = invalidPart === part
        const common = {
          id: partId(part),
          className: 'input mono',
          value: draft[part],
          'aria-invalid': isInvalid ? true : undefined,
          'aria-describedby':
            [isInvalid ? errorId : undefined, hintOf(part) ? `${partId(part)}-hint` : undefined]
              .filter(Boolean)
              .join(' ') || undefined,
          onBlur,
        } as const
        return (
          <div key={part} className={styles.part}>
            <label htmlFor={partId(part)}>{label}</label>
            {part === 'connection' ? (
              <KubernetesConnectionSelect {...common} onChange={(value) => set(part, value)} />
            ) : (
              <input
                {...common}
                autoComplete="off"
                spellCheck={false}
                placeholder={placeholderOf(draft.kind, part)}
                onChange={(event) => set(part, event.target.value)}
              />
            )}
            {hintOf(part) && (
              <p id={`${partId(part)}-hint`} className={styles.partHint}>
                {hintOf(part)}
              </p>
            )}
          </div>
        )
      })}
    </div>
  )
}

function hintOf(part: DraftPart): string | undefined {
  if (part === 'command')
    return 'Split on spaces, run without a shell; its output is the value. For arguments with spaces write a JSON list: ["op","read","op://vault/item/password"].'
  if (part === 'path') return 'Read at each use; one trailing newline is dropped.'
  return undefined
}

function placeholderOf(kind: ReferenceKind, part: DraftPart): string | undefined {
  switch (part) {
    case 'name':
      return 'e.g. DB_PASSWORD'
    case 'path':
      return 'e.g. /run/secrets/db-password'
    case 'command':
      return 'e.g. pass show prod/db'
    case 'namespace':
      return 'default'
    case 'object':
      return kind === 'helmRef' ? 'e.g. postgresql' : 'e.g. db-credentials'
    case 'key':
      return kind === 'helmRef' ? 'e.g. auth.postgresPassword' : 'e.g. password'
    case 'connection':
      return undefined
  }
}

interface SelectProps {
  id: string
  className: string
  value: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
  onBlur: () => void
  onChange: (value: string) => void
}

/** The vault's Kubernetes connections, by slug; a stored one no longer listed stays choosable. */
function KubernetesConnectionSelect({ onChange, ...props }: SelectProps) {
  const connections = useConnections()
  const kubernetes = (connections.data ?? []).filter((c) => c.provider === 'kubernetes')
  const listed = kubernetes.some((c) => c.slug === props.value)
  return (
    <select {...props} onChange={(event) => onChange(event.target.value)}>
      <option value="">
        {connections.isPending
          ? 'Loading…'
          : kubernetes.length === 0
            ? 'No Kubernetes connection in the vault yet'
            : 'Choose…'}
      </option>
      {props.value !== '' && !listed && <option value={props.value}>{props.value}</option>}
      {kubernetes.map((connection) => (
        <option key={connection.id} value={connection.slug}>
          {connection.name} ({connection.slug})
        </option>
      ))}
    </select>
  )
}
