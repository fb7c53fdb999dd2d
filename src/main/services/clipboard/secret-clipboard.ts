/** The system clipboard as the shell provides it (Electron's clipboard; a memory one in tests). */
export interface ClipboardPort {
  readText(): string | Promise<string>
  writeText(text: string): void | Promise<void>
}

export const CLIPBOARD_CLEAR_SECONDS = 30

/**
 * Puts a secret on the clipboard and takes it off again after 30 seconds, unless the user has
 * copied something else meanwhile (that is theirs, and is left alone).
 */
export class SecretClipboard {
  private pending: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly port: ClipboardPort,
    private readonly clearAfterMs = CLIPBOARD_CLEAR_SECONDS * 1000,
  ) {}

  copy(value: string): number {
    if (this.pending) clearTimeout(this.pending)
    void this.port.writeText(value)
    this.pending = setTimeout(() => {
      this.pending = undefined
      void Promise.resolve(this.port.readText()).then((current) => {
        if (current === value) return this.port.writeText('')
      })
    }, this.clearAfterMs)
    // Never keep the process alive just to clear the clipboard (the CLI exits; the app clears on quit).
    this.pending.unref?.()
    return Math.round(this.clearAfterMs / 1000)
  }

  /** Clears a secret we put there, now (on lock and on quit). */
  clearNow(): void {
    if (!this.pending) return
    clearTimeout(this.pending)
    this.pending = undefined
    void this.port.writeText('')
  }
}

export class MemoryClipboard implements ClipboardPort {
  text = ''
  readText(): string {
    return this.text
  }
  writeText(text: string): void {
    this.text = text
  }
}
