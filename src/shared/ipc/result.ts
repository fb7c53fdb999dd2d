import { BridgekeepError, type ErrorShape } from '../errors'

/**
 * What every IPC call returns. Errors thrown through ipcMain.handle (and through contextBridge)
 * lose everything but their message, so failures travel as data and are rebuilt on the far side.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorShape }

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value }
}

export function fail(error: ErrorShape): IpcResult<never> {
  return { ok: false, error }
}

/** Returns the value of a successful result, or throws the BridgekeepError it carries. */
export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value
  const { code, message, hint, issues } = result.error
  throw new BridgekeepError(code, message, hint, issues)
}
