import { FileUp } from 'lucide-react'
import { useRef, useState } from 'react'
import styles from './ConnectionForm.module.css'

/** Larger than any kubeconfig or key file a form field takes (main caps values at 64 KiB). */
const MAX_BYTES = 64 * 1024

interface Props {
  /** The field it fills, completing the button's name: "Choose a file… for Kubeconfig". */
  fieldLabel: string
  onLoad: (text: string) => void
}

/**
 * Reads a file chosen by the user into a field, in the page (FileReader): the renderer has no
 * file system access, and needs none — the user hands over exactly one file.
 */
export function FileButton({ fieldLabel, onLoad }: Props) {
  const input = useRef<HTMLInputElement>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const read = (file: File | undefined) => {
    if (!file) return
    setProblem(null)
    if (file.size > MAX_BYTES) {
      setProblem(`${file.name} is larger than 64 KiB; this field takes a key or config file.`)
      return
    }
    const reader = new FileReader()
    reader.onload = () => onLoad(typeof reader.result === 'string' ? reader.result : '')
    reader.onerror = () => setProblem(`${file.name} could not be read.`)
    reader.readAsText(file)
  }

  return (
    <span className={styles.fileButton}>
      <button type="button" className="button small quiet" onClick={() => input.current?.click()}>
        <FileUp aria-hidden="true" />
        Choose a file…<span className="visually-hidden"> for {fieldLabel}</span>
      </button>
      <input
        ref={input}
        type="file"
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          read(event.target.files?.[0])
          event.target.value = ''
        }}
      />
      {problem && (
        <span role="alert" className={styles.fileProblem}>
          {problem}
        </span>
      )}
    </span>
  )
}
