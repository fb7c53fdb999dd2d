/**
 * docker runs a credential helper by name, `docker-credential-<credsStore>`, with no way to add
 * arguments: a link of that name to `bridgekeep` (or to the single executable) is the helper.
 * Kept apart from the protocol so every command's start reads only this.
 */
export const DOCKER_HELPER_NAME = 'docker-credential-bridgekeep'

/** The arguments as the command sees them: under docker's helper name, docker-credential's. */
export function commandLine(program: string | undefined, args: string[]): string[] {
  const name = (program ?? '')
    .split(/[\\/]/)
    .at(-1)!
    .replace(/\.(?:c?js|exe)$/i, '')
  return name === DOCKER_HELPER_NAME ? ['docker-credential', ...args] : args
}
