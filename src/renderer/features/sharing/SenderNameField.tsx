import { FormField } from '../../components/FormField'

interface Props {
  /** The name the identity started with (the OS user's), named so the user sees why we ask. */
  current: string
  value: string
  onChange: (name: string) => void
  error: string | undefined
}

/**
 * Asked once, before the first share: the name recipients see as the sender. Until it is chosen
 * the identity carries the OS user name, which tells a teammate nothing ("root").
 */
export function SenderNameField({ current, value, onChange, error }: Props) {
  return (
    <FormField
      id="share-sender-name"
      label="Your name, as recipients will see it"
      required
      error={error}
      help={`Asked once; it is saved to your identity (today your shares would say “${current}”). Change it later under Sharing, Your identity.`}
    >
      {(control) => (
        <input
          {...control}
          className="input"
          value={value}
          maxLength={60}
          placeholder="Alice (platform team)"
          autoComplete="name"
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FormField>
  )
}
