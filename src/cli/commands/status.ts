import { agentSocketPath } from '../../main/agent/socket-path'
import { resolveDataDir } from '../../main/paths'
import { isBridgekeepError } from '../../shared/errors'
import { agentDisabled, askAgent } from '../agent-client'
import type { CommandSpec } from '../framework/command'
import { keyValues, writeJson } from '../framework/output'

const status: CommandSpec = {
  usage: '[options]',
  description:
    'Says whether an agent (bridgekeep agent) answers on its socket, where that socket is, and which path exec, aws credential-process, ls, show, verify and env ls take: through the agent, or opening the vault in the command. It does not open the vault.',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  async run({ io, json }) {
    const socket = agentSocketPath(io.env)
    const disabled = agentDisabled(io.env)
    let agent: Awaited<ReturnType<typeof askAgent<'status'>>>
    let problem: string | undefined
    try {
      agent = await askAgent(io.env, { op: 'status' })
    } catch (error) {
      if (!isBridgekeepError(error)) throw error
      problem = error.message
    }
    const path = disabled
      ? 'in-process (BRIDGEKEEP_AGENT is off)'
      : agent
        ? 'agent'
        : problem
          ? 'agent (which fails: see above)'
          : 'in-process (no agent answers)'
    const details = {
      socket,
      dataDir: resolveDataDir(io.env),
      agent: agent
        ? { running: true, ...agent }
        : { running: false, ...(problem ? { problem } : {}) },
      path: disabled || !(agent || problem) ? 'in-process' : 'agent',
    }
    if (json) return writeJson(io.stdout, details)
    io.stdout.write(
      keyValues([
        [
          'Agent:',
          agent
            ? `running (pid ${agent.pid}, vault ${agent.vault}, version ${agent.version})`
            : (problem ?? 'not running'),
        ],
        ['Socket:', socket],
        ['Data folder:', details.dataDir],
        ['CLI path:', path],
      ]),
    )
  },
}

export default status
