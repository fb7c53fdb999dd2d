import type { EnvMapper } from '../env-plan'
import { gcpEnv } from './gcp'

export const gcsStateEnv: EnvMapper = (credentials, plan) => {
  const borrowed = credentials.linked?.gcp_connection
  if (borrowed) gcpEnv(borrowed, plan)
}
