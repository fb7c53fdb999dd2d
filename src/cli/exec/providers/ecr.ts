import type { EnvMapper } from '../env-plan'
import { awsFrom, awsKeys } from './aws'
import { dockerConfig } from './docker-config'

export const ecrEnv: EnvMapper = (credentials, plan) => {
  const { config, secrets } = credentials
  const borrowed = credentials.linked?.aws_connection
  if (borrowed) awsFrom(borrowed, plan, config.region)
  else
    awsKeys(plan, { id: secrets.access_key_id, secret: secrets.secret_access_key }, config.region)
  // ECR tokens last 12 hours and need an API call: docker asks the ECR credential helper
  // (docker-credential-ecr-login), which reads the AWS variables above.
  const host = `${config.account_id}.dkr.ecr.${config.region}.amazonaws.com`
  dockerConfig(plan, { credHelpers: { [host]: 'ecr-login' } })
}
