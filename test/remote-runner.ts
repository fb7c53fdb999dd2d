// The app's services and one remote runner process started by hand with its own environment (the
// machine it runs on), connected over real mutual TLS: for tests of what a runner's own
// identity proves.
import { canary } from './fixtures/canary'
import type { StsIdentity } from './fixtures/sts'
import {
  fastTimings,
  sourceRunnerLauncher,
  startRunnerByHand,
  waitFor,
  writeEnrollmentFile,
} from './runner'
import { environmentIds, unlockedServices } from './services'

export async function appWithRemoteRunner(
  runnerName: string,
  machineEnv: Record<string, string>,
  cleanup: (() => unknown)[],
) {
  const { services, log, dataDir, recoveryKey } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  })
  cleanup.push(() => services.runner.shutdown())
  const file = await services.runner.generateCredentials({ name: runnerName })
  const runner = startRunnerByHand(['--credentials', writeEnrollmentFile(file.content)], machineEnv)
  cleanup.push(() => runner.kill('SIGKILL'))
  await waitFor(
    () => services.runner.runners().find((r) => r.name === runnerName && r.connected),
    `the ${runnerName} runner`,
  )
  const development = environmentIds(services).development!
  /** A runner-delegated connection, authorized in development (where verify resolves it). */
  const addDelegated = (name: string, provider: string, values: Record<string, string>) => {
    const created = services.connections.create({
      name,
      provider,
      authMode: 'runner-delegated',
      values,
    })
    services.authorizations.applyChanges({
      grants: [{ connectionId: created.id, environmentId: development }],
    })
    return created.id
  }
  return { services, log, dataDir, recoveryKey, runner, addDelegated }
}

/** An IAM user with random canary keys, for the machine a runner runs on (n: 0 to 9). */
export function canaryAwsUser(name: string, n: number): StsIdentity {
  return {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: `11112222333${n}`,
    arn: `arn:aws:iam::11112222333${n}:user/${name}`,
    userId: `AIDAEXAMPLE0000000${n}`,
  }
}
