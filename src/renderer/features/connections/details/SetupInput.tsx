import { FormField } from '../../../components/FormField'

interface SetupInputProps {
  id: string
  label: string
  help: string
  error: string | undefined
  placeholder: string
  value: string
  onChange: (value: string) => void
}

/** A plain text input of this panel: what it holds is not stored as typed. */
export function SetupInput({
  id,
  label,
  help,
  error,
  placeholder,
  value,
  onChange,
}: SetupInputProps) {
  return (
    <FormField id={id} label={label} help={help} error={error}>
      {(control) => (
        <input
          {...control}
          className="input"
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FormField>
  )
}
