// `bridgekeep team runner` as a real child process, and the check that issued AWS credentials
// work: shared by the CLI tests of the team runner and of the team connections' whole story.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { ROOT } from './run-node'
import { waitFor } from './runner'

export interface TeamRunnerProcess {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** `bridgekeep team runner` of the vault in `home` (polling every second), once it serves. */
export async function startTeamRunner(home: string, team = 'platform'): Promise<TeamRunnerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'src/cli/index.ts'), 'team', 'runner', '--poll', '1'],
    {
      cwd: ROOT,
      env: { ...process.env, BRIDGEKEEP_HOME: home, BRIDGEKEEP_AGENT: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  await waitFor(
    () => output.includes(`bridgekeep team runner: serving ${team}`),
    'the team runner to serve',
    60_000,
  )
  return { child, output: () => output, exited }
}

/** The ARN STS says the credentials (as `team credentials` prints them) belong to. */
export async function callerArn(
  stsUrl: string,
  output: Record<string, string>,
): Promise<string | undefined> {
  const client = new STSClient({
    region: 'eu-west-1',
    endpoint: stsUrl,
    credentials: {
      accessKeyId: output.AccessKeyId ?? output.accessKeyId!,
      secretAccessKey: output.SecretAccessKey ?? output.secretAccessKey!,
      sessionToken: output.SessionToken ?? output.sessionToken!,
    },
    maxAttempts: 1,
  })
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn
  } finally {
    client.destroy()
  }
}
