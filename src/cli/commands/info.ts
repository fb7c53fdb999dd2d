import { getCompileCacheDir } from 'node:module'
import { join } from 'node:path'
import { APP_NAME, resolveDataDir } from '../../main/paths'
import type { CommandSpec } from '../framework/command'
import { keyValues, writeJson } from '../framework/output'
import { version } from '../../../package.json'

const info: CommandSpec = {
  usage: '[options]',
  description:
    'Prints the data folder the app and the CLI share, and the Node the CLI runs on; it does not open the vault.',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  async run({ io, json }) {
    const dataDir = resolveDataDir(io.env)
    const details = {
      name: APP_NAME,
      version,
      dataDir,
      settingsFile: join(dataDir, 'settings.json'),
      node: process.versions.node,
      // Set by bin/bridgekeep.cjs; the user's cache folder, never the data folder.
      compileCache: getCompileCacheDir() ?? null,
    }
    if (json) return writeJson(io.stdout, details)
    io.stdout.write(`${APP_NAME} ${version}\n`)
    io.stdout.write(
      keyValues([
        ['Data folder:', details.dataDir],
        ['Settings file:', details.settingsFile],
        ['Node:', details.node],
        ['Compile cache:', details.compileCache ?? 'off'],
      ]),
    )
  },
}

export default info
