// CLI figures: what `bridgekeep exec` adds to a command and a warm credential_process, through a
// running agent (bridgekeep agent) and without one (BRIDGEKEEP_AGENT=off: the vault opened in the
// call, with Node's module compile cache as bin/bridgekeep.cjs runs by default, and without it),
// beside `secret-tool lookup` of one secret and `node -e 0` measured in the same interleaved runs;
// the credential helpers through the agent (git's `git-credential get`, docker's `docker-credential
// get`, kubectl's `kube token`); and `share export` of 1,000 connections plus `share import` of
// them into a second vault.
// Runs the command as users do (bin/bridgekeep.cjs over out/main/cli.js, built first) as real
// processes against a keychain vault, so it needs the private Secret Service:
//   bash scripts/with-secret-service.sh npm run bench -- cli
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { memoryLogger } from '../src/main/log'
import { createOsKeyStore } from '../src/main/security/keystore'
import { createServices } from '../src/main/services'
import { providers } from '../src/shared/providers'
import { canaryValues } from '../test/catalog-values'
import { startAgent, storeSecretToolItem } from './lib/cli-peers'
import { report, round, summarize } from './lib/measure'

const ROOT = resolve(__dirname, '..')
const CLI = join(ROOT, 'bin/bridgekeep.cjs')
const RUNS = 25
const SHARE_COUNT = 1000
const SHARE_RUNS = 3

if (process.env.BRIDGEKEEP_SECRET_SERVICE !== 'private') {
  console.error(
    'Run it inside the private Secret Service: bash scripts/with-secret-service.sh npm run bench -- cli',
  )
  process.exit(2)
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): number {
  const start = performance.now()
  const result = spawnSync(command, args, {
    env,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  const elapsed = performance.now() - start
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString()}`)
  return elapsed
}

type Call = [command: string, args: string[], env: NodeJS.ProcessEnv, input?: string]

/**
 * The median of each call, run in turns (a, b, c, a, b, c...) so that a busy spell on the machine
 * weighs on every figure alike; three warm-up rounds first (page cache, any STS cache).
 */
function medians<Name extends string>(calls: Record<Name, Call>): Record<Name, number> {
  const named = Object.entries(calls) as [Name, Call][]
  for (let i = 0; i < 3; i++) for (const [, call] of named) timed(...call)
  const samples = named.map((): number[] => [])
  for (let run = 0; run < RUNS; run++) {
    named.forEach(([, call], index) => samples[index]!.push(timed(...call)))
  }
  return Object.fromEntries(
    named.map(([name], index) => [name, summarize(samples[index]!).median]),
  ) as Record<Name, number>
}

/** A keychain vault in a fresh data folder, and the services over it (standing for the app). */
async function keychainVault() {
  const home = mkdtempSync(join(tmpdir(), 'bk-bench-cli-'))
  const services = createServices({
    dataDir: home,
    appInfo: { name: 'Bridgekeep', version: 'bench', platform: 'linux', host: 'cli' },
    log: memoryLogger(),
    keyStore: createOsKeyStore(),
    env: {},
  })
  await services.vault.create({ mode: 'keychain' })
  return { home, services }
}

/**
 * Median of `share export` (1,000 connections, to a contact) plus `share import` (into a fresh
 * vault each run, trusting the sender), both as real CLI processes; one warm-up run first.
 */
async function shareFigure(): Promise<number> {
  const alice = await keychainVault()
  const aws = providers.find((provider) => provider.id === 'aws')!
  alice.services.connections.createMany(
    Array.from({ length: SHARE_COUNT }, (_, i) => ({
      name: `aws-${String(i).padStart(4, '0')}`,
      provider: 'aws',
      authMode: 'inline',
      values: canaryValues(aws, 'inline').values,
    })),
  )
  const slugs = alice.services.connections.list().map((connection) => connection.slug)
  const samples: number[] = []
  const homes = [alice.home]
  for (let run = 0; run <= SHARE_RUNS; run++) {
    const bob = await keychainVault()
    homes.push(bob.home)
    const address = (await bob.services.sharing.identity()).address
    await alice.services.sharing.addContact({ name: `Bob ${run}`, address })
    bob.services.vault.close()
    const file = join(alice.home, `share-${run}.bkshare`)
    const exported = timed(
      process.execPath,
      [CLI, 'share', 'export', ...slugs, '--to', `Bob ${run}`, '--env', 'staging', '-o', file],
      { ...process.env, BRIDGEKEEP_HOME: alice.home },
    )
    const imported = timed(process.execPath, [CLI, 'share', 'import', file, '--trust-sender'], {
      ...process.env,
      BRIDGEKEEP_HOME: bob.home,
    })
    if (run > 0) samples.push(exported + imported)
  }
  alice.services.vault.close()
  for (const home of homes) rmSync(home, { recursive: true, force: true })
  return summarize(samples).median
}

async function main() {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
  if (build.status !== 0) throw new Error('npm run build failed')

  const { home, services } = await keychainVault()
  const connection = services.connections.create({
    name: 'bench-aws',
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      default_region: 'eu-west-1',
    },
  })
  // What the credential helpers hand out: a GitHub token (git), a Docker Hub token (docker) and
  // a Kubernetes bearer token (kubectl).
  const helped = (['github', 'dockerhub'] as const).map((id) => {
    const provider = providers.find((p) => p.id === id)!
    return services.connections.create({
      name: `bench-${id}`,
      provider: id,
      authMode: 'inline',
      values: canaryValues(provider, 'inline').values,
    })
  })
  const kube = services.connections.create({
    name: 'bench-kubernetes',
    provider: 'kubernetes',
    authMode: 'inline',
    values: {
      source: 'token',
      server: 'https://127.0.0.1:6443',
      token: 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz',
      insecure_skip_tls_verify: 'true',
    },
  })
  const development = services.environments.list().find((e) => e.name === 'development')!
  services.authorizations.applyChanges({
    grants: [connection, ...helped, kube].map((c) => ({
      connectionId: c.id,
      environmentId: development.id,
    })),
  })
  services.vault.close()

  const cache = mkdtempSync(join(tmpdir(), 'bk-bench-cache-'))
  const env = { ...process.env, BRIDGEKEEP_HOME: home, XDG_CACHE_HOME: cache }
  const noAgent = { ...env, BRIDGEKEEP_AGENT: 'off' }
  const uncached = { ...noAgent, BRIDGEKEEP_COMPILE_CACHE: '0' }
  const execArgs = [CLI, 'exec', 'bench-aws', '--env', 'development', '--', 'true']
  const credentialArgs = [CLI, 'aws', 'credential-process', 'bench-aws', '--env', 'development']
  const lookup = ['-c', `secret-tool lookup ${storeSecretToolItem(env).join(' ')} >/dev/null`]
  const agent = await startAgent(CLI, env)
  let figures
  try {
    figures = medians({
      plain: ['true', [], env],
      execAgent: [process.execPath, execArgs, env],
      credentialProcessAgent: [process.execPath, credentialArgs, env],
      exec: [process.execPath, execArgs, noAgent],
      execUncached: [process.execPath, execArgs, uncached],
      credentialProcess: [process.execPath, credentialArgs, noAgent],
      credentialProcessUncached: [process.execPath, credentialArgs, uncached],
      startup: [process.execPath, [CLI, '--version'], env],
      // Node itself, doing nothing: the floor under every figure above on this machine.
      node: [process.execPath, ['-e', '0'], env],
      secretTool: ['sh', lookup, env],
      gitHelper: [
        process.execPath,
        [CLI, 'git-credential', '--env', 'development', 'get'],
        env,
        'protocol=https\nhost=github.com\n\n',
      ],
      dockerHelper: [
        process.execPath,
        [CLI, 'docker-credential', '--env', 'development', 'get'],
        env,
        'https://index.docker.io/v1/',
      ],
      kubeToken: [
        process.execPath,
        [CLI, 'kube', 'token', 'bench-kubernetes', '--env', 'development'],
        env,
      ],
    })
  } finally {
    await agent.stop()
  }
  const {
    plain,
    execAgent,
    credentialProcessAgent,
    exec,
    execUncached,
    credentialProcess,
    credentialProcessUncached,
    startup,
    node,
    secretTool,
    gitHelper,
    dockerHelper,
    kubeToken,
  } = figures
  rmSync(home, { recursive: true, force: true })
  rmSync(cache, { recursive: true, force: true })
  const share = await shareFigure()

  const execAgentOverhead = execAgent - plain
  const execOverhead = exec - plain
  report({
    runs: RUNS,
    node_version: process.versions.node,
    true_ms: round(plain, 1),
    node_startup_ms: round(node, 1),
    secret_tool_ms: round(secretTool, 1),
    cli_startup_ms: round(startup, 1),
    // Through the running agent.
    exec_overhead_agent_ms: round(execAgentOverhead, 1),
    credential_process_agent_ms: round(credentialProcessAgent, 1),
    // Without an agent (BRIDGEKEEP_AGENT=off): the call opens the vault itself.
    exec_overhead_ms: round(execOverhead, 1),
    exec_ratio: round(exec / plain, 1),
    exec_overhead_no_compile_cache_ms: round(execUncached - plain, 1),
    // With inline keys there is no STS session to cache yet: "warm" is the page cache and the
    // keychain; the STS issuer's cache (SessionCache) will be measured here when it lands.
    credential_process_warm_ms: round(credentialProcess, 1),
    credential_process_no_compile_cache_ms: round(credentialProcessUncached, 1),
    // How much of a call the compile cache saves (above 1: faster with it).
    compile_cache_speedup: round(credentialProcessUncached / credentialProcess, 2),
    // The targets as ratios, comparable across machines: through the agent under 1.5x one
    // secret-tool lookup; each figure over a bare Node start (a loaded machine slows both).
    exec_overhead_agent_per_secret_tool: round(execAgentOverhead / secretTool, 2),
    credential_process_agent_per_secret_tool: round(credentialProcessAgent / secretTool, 2),
    exec_overhead_agent_per_node_startup: round(execAgentOverhead / node, 2),
    credential_process_agent_per_node_startup: round(credentialProcessAgent / node, 2),
    exec_overhead_per_node_startup: round(execOverhead / node, 2),
    credential_process_warm_per_node_startup: round(credentialProcess / node, 2),
    // The credential helpers, each a whole call through the running agent (as git, docker and
    // kubectl run them), and over a bare Node start.
    git_credential_agent_ms: round(gitHelper, 1),
    docker_credential_agent_ms: round(dockerHelper, 1),
    kube_token_agent_ms: round(kubeToken, 1),
    helpers_agent_per_node_startup: round(Math.max(gitHelper, dockerHelper, kubeToken) / node, 2),
    share_1000_ms: round(share, 0),
    share_runs: SHARE_RUNS,
  })
}

void main()
