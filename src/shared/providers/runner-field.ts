import { RUNNER_NAME_PATTERN, RUNNER_NAME_RULE } from '../runner-name'
import { defineField, fail, ok } from './fields'
import type { AuthMode, FieldSpec } from './types'

/** The config key of a connection's Runner field. */
export const RUNNER_FIELD = 'runner'

/**
 * Which runner a connection's operations go to, in the modes where the runner's own identity or
 * network is what the connection uses. Empty: the local runner. The main process also checks the
 * name belongs to a runner of this vault.
 */
export function runnerField(authModes: readonly AuthMode[]): FieldSpec {
  return defineField({
    key: RUNNER_FIELD,
    label: 'Runner',
    authModes,
    example: 'build-eu',
    help: "The runner this connection's verify and credentials go to (its identity and network are the ones used). Empty: the local runner the app starts. 'bridgekeep runner list' shows the names.",
    parse: (value) =>
      RUNNER_NAME_PATTERN.test(value)
        ? ok(value)
        : fail(`the name of a runner: ${RUNNER_NAME_RULE}.`),
  })
}
