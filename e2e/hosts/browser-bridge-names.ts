/** Names shared by the browser host (test process) and its bridge bundle (page). */
export const INVOKE_BINDING = '__bridgekeepInvoke'
export const PUSH_EVENT = 'bridgekeep:push'
