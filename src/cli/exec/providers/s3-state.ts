import type { EnvMapper } from '../env-plan'
import { awsFrom, awsKeys } from './aws'

// The borrowed AWS connection's credentials in the bucket's region; without one, the region only.
export const s3StateEnv: EnvMapper = (credentials, plan) => {
  const borrowed = credentials.linked?.aws_connection
  if (borrowed) awsFrom(borrowed, plan, credentials.config.region)
  else awsKeys(plan, {}, credentials.config.region)
}
