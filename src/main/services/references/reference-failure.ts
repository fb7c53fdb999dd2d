/** The most a file or a command's output may hold: secrets are small, logs are not. */
export const REFERENCE_MAX_BYTES = 64 * 1024

/**
 * Why a lookup failed, in words that name no value ("the variable DB_PASSWORD is not set").
 * `said`: what a failing command wrote first on stderr, for the user's message only (the audit
 * trail keeps the reason without it).
 */
export class ReferenceFailure extends Error {
  constructor(
    message: string,
    readonly said?: string,
  ) {
    super(message)
  }
}

/** Files and commands end their text with a newline, which is not part of the value. */
export function dropOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2)
  if (text.endsWith('\n')) return text.slice(0, -1)
  return text
}
