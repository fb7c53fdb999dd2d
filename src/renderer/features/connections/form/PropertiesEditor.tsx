import { Plus, X } from 'lucide-react'
import { useRef } from 'react'
import type { FieldControlProps } from '../../../components/FormField'
import styles from './PropertiesEditor.module.css'

interface Props {
  control: FieldControlProps
  /** JSON: the stored object ({"tenant":"acme"}) or the form's rows ([["tenant","acme"]]). */
  value: string
  /** The rows as JSON [name, value] pairs ('' for none), checked by the field's own parser. */
  onChange: (value: string) => void
  onBlur: () => void
  /** e.g. "Property": names the rows' inputs and buttons. */
  noun: string
}

type Row = [string, string]

function rowsOf(value: string): Row[] {
  if (value.trim() === '') return []
  try {
    const parsed = JSON.parse(value) as unknown
    const rows = Array.isArray(parsed) ? parsed : Object.entries(parsed as object)
    return rows.map((row) => {
      const [name, text] = row as [unknown, unknown]
      return [String(name ?? ''), String(text ?? '')]
    })
  } catch {
    return []
  }
}

/**
 * A name -> value map as rows: each row a name and a value, a Remove button; "Add" appends a
 * row and puts the cursor in it. The field's control wiring (id, error) goes on the first name,
 * or on Add while there is no row, so the field's label and error reach a screen reader there.
 */
export function PropertiesEditor({ control, value, onChange, onBlur, noun }: Props) {
  const rows = rowsOf(value)
  const list = useRef<HTMLDivElement>(null)
  const lower = noun.toLowerCase()
  const save = (next: Row[]) => onChange(next.length === 0 ? '' : JSON.stringify(next))
  const focusLater = (selector: string) =>
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(selector)?.focus())

  const add = () => {
    save([...rows, ['', '']])
    focusLater(`[data-row="${rows.length}"] input`)
  }
  const remove = (index: number) => {
    save(rows.filter((_, i) => i !== index))
    focusLater(
      rows.length > 1 ? `[data-row="${Math.min(index, rows.length - 2)}"] input` : '[data-add]',
    )
  }
  const set = (index: number, part: 0 | 1, text: string) =>
    save(rows.map((row, i) => (i === index ? (part === 0 ? [text, row[1]] : [row[0], text]) : row)))

  return (
    <div className={styles.editor} ref={list}>
      {rows.length > 0 && (
        <div className={styles.header} aria-hidden="true">
          <span>Name</span>
          <span>Value</span>
        </div>
      )}
      {rows.map(([name, text], index) => (
        <div key={index} className={styles.row} data-row={index}>
          <input
            {...(index === 0 ? control : {})}
            className="input mono"
            aria-label={`${noun} ${index + 1} name`}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. tenant"
            value={name}
            onChange={(event) => set(index, 0, event.target.value)}
            onBlur={onBlur}
          />
          <input
            className="input"
            aria-label={`${noun} ${index + 1} value`}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. acme"
            value={text}
            onChange={(event) => set(index, 1, event.target.value)}
            onBlur={onBlur}
          />
          <button
            type="button"
            className="button small"
            aria-label={`Remove ${lower} ${index + 1}${name ? ` (${name})` : ''}`}
            onClick={() => remove(index)}
          >
            <X aria-hidden="true" />
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button small"
          data-add
          {...(rows.length === 0 ? control : {})}
          aria-label={`Add ${lower}`}
          onClick={add}
        >
          <Plus aria-hidden="true" />
          Add {lower}
        </button>
      </div>
    </div>
  )
}
