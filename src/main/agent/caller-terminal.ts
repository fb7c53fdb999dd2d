import {
  TERMINAL_COMMAND_TIMEOUT_MS,
  type CallerTerminal,
} from '../services/references/command-reference'
import { ReferenceFailure } from '../services/references/reference-failure'
import type { CallerConversation } from './agent-server'

/**
 * How long the agent waits for a caller running a command on its terminal: the caller's own limit
 * for such a command (5 minutes), and time to stop it and answer.
 */
const CALLER_COMMAND_WAIT_MS = TERMINAL_COMMAND_TIMEOUT_MS + 60_000

/**
 * `command:` references of a use, run on the terminal of the caller that asked for it (a CLI
 * with a person at its terminal said `commandsOnTerminal`): the agent sends the argv stored in
 * the vault, never one the caller names, and takes what the command printed as the reference's
 * value, checked and audited as any other (secrets-for-use.ts). A command that failed there, or a
 * caller that went away (Ctrl-C), fails the use with the reason.
 */
export function callerTerminal(conversation: CallerConversation): CallerTerminal {
  return {
    async run(argv) {
      const result = await conversation.runCommand(argv, CALLER_COMMAND_WAIT_MS)
      if (result.ok) return result.value
      throw new ReferenceFailure(result.reason, result.said)
    },
  }
}
