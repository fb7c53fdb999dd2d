import { Component, type ErrorInfo, type ReactNode } from 'react'
import { isBridgekeepError } from '../../shared/errors'
import styles from './ErrorBoundary.module.css'

interface Props {
  /** 'section' keeps the sidebar usable and offers a way back; 'app' is the last resort. */
  scope: 'app' | 'section'
  /** Clears the failed state, e.g. resets the failed queries, before trying again. */
  onReset?: () => void
  /** Changing this (the route) clears the error: leaving a broken section fixes the view. */
  resetKey?: string
  /** The section's name, kept as the page heading so the user still knows where they are. */
  sectionTitle?: string
  children: ReactNode
}

interface State {
  error: Error | null
  resetKey: string | undefined
}

/** Shows what went wrong in words a user can act on, and a way back, instead of a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The console of the renderer only; the message never carries secrets (see BridgekeepError).
    console.error('Bridgekeep view crashed', error.name, info.componentStack)
  }

  private readonly retry = () => {
    this.props.onReset?.()
    this.setState({ error: null })
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    const known = isBridgekeepError(error)
    const message = known ? error.message : 'An unexpected error stopped this view.'
    const hint = known ? error.hint : 'Try again. If it keeps happening, restart Bridgekeep.'
    return (
      <div className={styles.page}>
        {this.props.sectionTitle && (
          <h1 className={styles.sectionTitle}>{this.props.sectionTitle}</h1>
        )}
        <div role="alert" className={styles.boundary} data-testid="error-boundary">
          <h2 className={styles.title}>
            {this.props.scope === 'app'
              ? 'Bridgekeep ran into a problem'
              : 'This section could not be shown'}
          </h2>
          <p className={styles.message}>{message}</p>
          {hint && <p className={styles.hint}>{hint}</p>}
          <div className={styles.actions}>
            <button type="button" className="button primary" onClick={this.retry}>
              Try again
            </button>
            {this.props.scope === 'section' ? (
              <a className="button" href="#/connections">
                Go to Connections
              </a>
            ) : (
              <button type="button" className="button" onClick={() => window.location.reload()}>
                Reload the window
              </button>
            )}
          </div>
        </div>
      </div>
    )
  }
}
