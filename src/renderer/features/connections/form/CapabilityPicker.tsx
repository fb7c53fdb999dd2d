import {
  awsCapabilities,
  awsCapabilityIds,
  parseCapabilities,
  type AwsCapabilityId,
} from '../../../../shared/aws/capabilities'
import styles from './CapabilityPicker.module.css'

interface Props {
  /** The first checkbox's id: a form in error focuses it. */
  id: string
  /** Comma-separated ids in catalog order, as the connection stores them; '' when none. */
  value: string
  error?: string
  help?: string
  legend?: string
  onChange: (value: string) => void
  onBlur?: () => void
}

/** The ids ticked in the picker's value: '' is none (unlike a stored value, where it is all). */
export function pickedCapabilities(value: string): AwsCapabilityId[] {
  const parsed = parseCapabilities(value)
  return parsed.ok ? parsed.ids : []
}

/** The one provider field drawn as this picker rather than as a text input. */
export const CAPABILITIES_FIELD = 'capabilities'

/**
 * "At least one": the catalog reads an empty value as "not given" and stores the default (all
 * of them), which is not what unticking every box means, so the form says so before saving.
 */
export function noCapabilityChosen(values: Readonly<Record<string, string>>): string | undefined {
  return values[CAPABILITIES_FIELD] === ''
    ? 'Capabilities: choose at least one, or "Select all".'
    : undefined
}

/** The AWS capabilities as checkboxes, each with what it is for; a fieldset for screen readers. */
export function CapabilityPicker({
  id,
  value,
  error,
  help,
  legend = 'Capabilities',
  onChange,
  onBlur,
}: Props) {
  const chosen = new Set(pickedCapabilities(value))
  const set = (ids: Iterable<string>) =>
    onChange(awsCapabilityIds.filter((known) => new Set(ids).has(known)).join(','))
  const toggle = (capability: AwsCapabilityId, on: boolean) =>
    set(on ? [...chosen, capability] : [...chosen].filter((other) => other !== capability))
  const describedBy = [error ? `${id}-error` : null, help ? `${id}-help` : null]
    .filter(Boolean)
    .join(' ')
  return (
    <fieldset className={styles.picker} data-field={id} aria-describedby={describedBy || undefined}>
      {/* The legend names the group only as the fieldset's first child; it floats beside the
          buttons so both fit on one line. */}
      <legend className={styles.legend}>
        {legend} ({chosen.size} of {awsCapabilityIds.length})
      </legend>
      <div className={styles.bulk}>
        <button
          type="button"
          className="button quiet small"
          disabled={chosen.size === awsCapabilityIds.length}
          onClick={() => set(awsCapabilityIds)}
        >
          Select all
        </button>
        <button
          type="button"
          className="button quiet small"
          disabled={chosen.size === 0}
          onClick={() => set([])}
        >
          Select none
        </button>
      </div>
      <ul className={styles.list}>
        {awsCapabilities.map((capability, index) => (
          <li key={capability.id}>
            <label className={styles.option}>
              <input
                id={index === 0 ? id : `${id}-${capability.id}`}
                type="checkbox"
                name="capabilities"
                value={capability.id}
                checked={chosen.has(capability.id)}
                aria-invalid={error ? true : undefined}
                onChange={(event) => toggle(capability.id, event.target.checked)}
                onBlur={onBlur}
              />
              <span className={styles.label}>{capability.label}</span>
              <span className={styles.description}>{capability.description}</span>
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p id={`${id}-error`} className={styles.error}>
          {error}
        </p>
      )}
      {help && (
        <p id={`${id}-help`} className={styles.help}>
          {help}
        </p>
      )}
    </fieldset>
  )
}
