import type { ProviderId } from '../../shared/providers'
import type { CredentialSet, EnvPlan } from './env-plan'
import { envMappers } from './providers'

/**
 * Maps a connection's credentials to the environment variables its tools read: the AWS CLI and
 * SDKs, gcloud and Google client libraries, az and Azure SDKs (and Terraform's ARM_*), libpq
 * (psql, pg_dump), gh, glab, doctl, the civo CLI, wrangler, docker, kubectl, and Terraform's
 * providers. Each provider's mapping is providers/<provider id>.ts. Pure: no files are written
 * here and nothing is read from the process.
 */
export async function credentialsEnv(credentials: CredentialSet): Promise<EnvPlan> {
  const plan: EnvPlan = { set: {}, unset: [], files: [] }
  const mapper = envMappers[credentials.provider as ProviderId]
  if (!mapper) throw new Error(`No environment mapping for provider ${credentials.provider}.`)
  await mapper(credentials, plan)
  // Never unset what is set.
  plan.unset = [...new Set(plan.unset)].filter((name) => !(name in plan.set))
  return plan
}
