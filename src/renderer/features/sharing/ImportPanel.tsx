import { FileUp } from 'lucide-react'
import { useEffect, useEffectEvent, useRef, useState, type DragEvent, type FormEvent } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { isBridgekeepError } from '../../../shared/errors'
import type { OpenedShareFile } from '../../../shared/ipc/features/sharing'
import type { ShareSourceInput } from '../../../shared/sharing'
import { useImportPreview, type SharePreview } from '../../api/sharing'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { fileToBase64, MAX_SHARE_FILE_BYTES } from './files'
import { ImportPreview } from './ImportPreview'
import styles from './Sharing.module.css'

/**
 * The one way a share comes in: "Open share file…" (or a file dropped here, or the armored text
 * pasted), and the desktop's double-click and menu land here too (useOpenedShare) → its
 * passphrase if it has one → the preview → choices → import.
 */
export function ImportPanel() {
  const [source, setSource] = useState<ShareSourceInput | null>(null)
  const [label, setLabel] = useState('')
  const [text, setText] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [needsPassphrase, setNeedsPassphrase] = useState(false)
  const [dragging, setDragging] = useState(false)
  const [problem, setProblem] = useState<unknown>(null)
  const [preview, setPreview] = useState<{
    preview: SharePreview
    source: ShareSourceInput
  } | null>(null)
  const open = useImportPreview()
  const input = useRef<HTMLInputElement>(null)

  const reset = () => {
    setSource(null)
    setPreview(null)
    setNeedsPassphrase(false)
    setPassphrase('')
    setProblem(null)
    setText('')
    setLabel('')
  }

  const tryOpen = async (next: ShareSourceInput, withPassphrase?: string) => {
    setProblem(null)
    setPreview(null)
    const full = withPassphrase ? { ...next, passphrase: withPassphrase } : next
    try {
      const result = await open.mutateAsync(full)
      setPreview({ preview: result, source: full })
      setNeedsPassphrase(false)
    } catch (error) {
      if (isBridgekeepError(error) && error.code === 'SHARE_PASSPHRASE_REQUIRED') {
        setNeedsPassphrase(true)
      } else {
        setProblem(error)
      }
    }
  }

  const takeFile = async (file: File | undefined) => {
    if (!file) return
    if (file.size > MAX_SHARE_FILE_BYTES) {
      setProblem({
        code: 'SHARE_MALFORMED',
        message: `${file.name} is larger than any share Bridgekeep writes.`,
      })
      return
    }
    const next = { file: await fileToBase64(file) }
    setSource(next)
    setLabel(file.name)
    setText('')
    await tryOpen(next)
  }

  useOpenedShare((opened) => {
    reset()
    setLabel(opened.name)
    if (opened.file === undefined) {
      setProblem({
        code: 'SHARE_MALFORMED',
        message: opened.problem ?? `${opened.name} could not be read.`,
      })
      return
    }
    const next = { file: opened.file }
    setSource(next)
    void tryOpen(next)
  })

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setDragging(false)
    void takeFile(event.dataTransfer.files[0])
  }

  const submitText = (event: FormEvent) => {
    event.preventDefault()
    const next = { text }
    setSource(next)
    setLabel('the pasted text')
    void tryOpen(next)
  }

  if (preview) {
    return (
      <section className={styles.panel} aria-labelledby="import-title" data-testid="import">
        <h2 id="import-title" className={styles.panelTitle}>
          Import a share
        </h2>
        <ImportPreview
          key={preview.preview.shareId}
          preview={preview.preview}
          source={preview.source}
          onDone={reset}
        />
      </section>
    )
  }

  return (
    <section className={styles.panel} aria-labelledby="import-title" data-testid="import">
      <h2 id="import-title" className={styles.panelTitle}>
        Import a share
      </h2>
      <p className={styles.intro}>
        Open the .bkshare file a teammate sent you. You see what it holds and who signed it before
        anything is imported.
      </p>
      <div className={styles.formStack}>
        <div
          className={styles.dropZone}
          data-active={dragging}
          data-testid="drop-zone"
          onDragOver={(event) => {
            event.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <FileUp aria-hidden="true" />
          <button type="button" className="button primary" onClick={() => input.current?.click()}>
            Open share file…
          </button>
          <span>or drop a .bkshare file here</span>
          <input
            ref={input}
            type="file"
            accept=".bkshare,.age,.txt"
            hidden
            tabIndex={-1}
            aria-hidden="true"
            data-testid="share-file-input"
            onChange={(event) => {
              void takeFile(event.target.files?.[0])
              event.target.value = ''
            }}
          />
        </div>
        <details className={styles.pasteInstead}>
          <summary>Got the share as text? Paste it instead</summary>
          <form onSubmit={submitText} className={styles.formStack}>
            <FormField id="share-armored" label="Armored share text">
              {(control) => (
                <textarea
                  {...control}
                  className={`input ${styles.armored}`}
                  value={text}
                  spellCheck={false}
                  placeholder="-----BEGIN AGE ENCRYPTED FILE-----"
                  onChange={(event) => setText(event.target.value)}
                />
              )}
            </FormField>
            <div>
              <button
                type="submit"
                className="button"
                disabled={text.trim() === '' || open.isPending}
              >
                Preview pasted text
              </button>
            </div>
          </form>
        </details>
      </div>
      {needsPassphrase && source && (
        <form
          className={styles.form}
          onSubmit={(event) => {
            event.preventDefault()
            void tryOpen(source, passphrase)
          }}
        >
          <FormField
            id="share-passphrase"
            label={`Passphrase for ${label}`}
            required
            help="The sender chose it and should have told you separately from the file."
          >
            {(control) => (
              <PasswordInput
                {...control}
                noun="passphrase"
                value={passphrase}
                onChange={(event) => setPassphrase(event.target.value)}
              />
            )}
          </FormField>
          <span />
          <button type="submit" className="button primary" disabled={!passphrase || open.isPending}>
            Unlock share
          </button>
        </form>
      )}
      {problem !== null && (
        <div className={styles.footer}>
          <ErrorNotice error={problem} title={`The share in ${label || 'the file'} was refused`} />
        </div>
      )}
    </section>
  )
}

/**
 * A share file the desktop opened arrives in the navigation's state (useOpenedShareFiles): taken
 * once, then cleared, so going back to this page does not open it again.
 */
function useOpenedShare(take: (opened: OpenedShareFile) => void): void {
  const location = useLocation()
  const navigate = useNavigate()
  const opened = (location.state as { openedShare?: OpenedShareFile } | null)?.openedShare
  const onOpened = useEffectEvent(take)
  useEffect(() => {
    if (!opened) return
    onOpened(opened)
    void navigate(location.pathname, { replace: true, state: null })
  }, [opened, navigate, location.pathname])
}
