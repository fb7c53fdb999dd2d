import { X } from 'lucide-react'
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react'
import styles from './Toast.module.css'

export interface ToastInput {
  message: string
  tone?: 'info' | 'success' | 'error'
}

interface ToastEntry extends ToastInput {
  id: number
}

type Notify = (toast: ToastInput) => void

const ToastContext = createContext<Notify | null>(null)

const DISPLAY_MS = 6000
/** An error stays longer: it usually says what to do next. */
const ERROR_DISPLAY_MS = 10_000
/** Reading time for a longer message, on top of the base time. */
const MS_PER_EXTRA_CHAR = 50
const SHORT_MESSAGE_CHARS = 60
/** More at once would cover the page; the oldest make way. */
const MAX_SHOWN = 3
let nextId = 1

/**
 * Short confirmations ("Copied…") in one polite live region at the top right, below the page
 * header: primary actions and dialog footers sit at the bottom, so a notice never covers them
 * (while a dialog is open, notices move beside it: see the stylesheet).
 * Every notice goes by itself (errors after longer) unless the pointer or focus is on it. It
 * sits above the vault gate, so a notice survives the switch from the unlock screen to the app.
 */
export function ToastProvider({ children, clear }: { children: ReactNode; clear: boolean }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([])
  // When `clear` turns true (the vault locked), every notice goes: they may name connections.
  const [wasClear, setWasClear] = useState(clear)
  if (clear !== wasClear) {
    setWasClear(clear)
    if (clear) setToasts([])
  }
  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id))
  }, [])
  const notify = useCallback<Notify>((toast) => {
    // The same message twice in a row replaces the first (a double-clicked Copy), not stacks.
    setToasts((current) =>
      [
        ...current.filter((entry) => entry.message !== toast.message),
        { ...toast, id: nextId++ },
      ].slice(-MAX_SHOWN),
    )
  }, [])
  const value = useMemo(() => notify, [notify])
  return (
    <ToastContext value={value}>
      {children}
      <section className={styles.region} aria-label="Notifications">
        <ol className={styles.list} aria-live="polite" aria-relevant="additions text">
          {toasts.map((toast) => (
            <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
          ))}
        </ol>
      </section>
    </ToastContext>
  )
}

function displayMs(toast: ToastInput): number {
  const base = toast.tone === 'error' ? ERROR_DISPLAY_MS : DISPLAY_MS
  return base + Math.max(0, toast.message.length - SHORT_MESSAGE_CHARS) * MS_PER_EXTRA_CHAR
}

function ToastItem({ toast, onDismiss }: { toast: ToastEntry; onDismiss: (id: number) => void }) {
  const [hovered, setHovered] = useState(false)
  const [focused, setFocused] = useState(false)
  const held = hovered || focused
  // While held the timer stops; letting go gives the full time again, to finish reading.
  useEffect(() => {
    if (held) return
    const timer = setTimeout(() => onDismiss(toast.id), displayMs(toast))
    return () => clearTimeout(timer)
  }, [toast, onDismiss, held])
  return (
    <li
      className={styles.toast}
      data-tone={toast.tone ?? 'info'}
      data-testid="toast"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
    >
      <span className={styles.message}>{toast.message}</span>
      <button
        type="button"
        className={`icon-button ${styles.close}`}
        aria-label="Dismiss notification"
        onClick={() => onDismiss(toast.id)}
      >
        <X aria-hidden="true" />
      </button>
    </li>
  )
}

export function useToast(): Notify {
  const notify = use(ToastContext)
  if (!notify) throw new Error('useToast needs a ToastProvider above it')
  return notify
}
