import { createClient } from '../../shared/ipc/bridge'

/**
 * The renderer's only way to reach main: `window.bridgekeep` wrapped so calls resolve to values
 * and failures throw BridgekeepError (code, message, hint) — what React Query expects.
 */
export const api = createClient(window.bridgekeep)
