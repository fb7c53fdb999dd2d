import { parseJson } from '../../../shared/parse-untrusted-json'
import { tempPath, type EnvMapper, type EnvPlan } from '../env-plan'

const GOOGLE_OTHER_CREDENTIALS = [
  'GOOGLE_CREDENTIALS',
  'GOOGLE_CLOUD_KEYFILE_JSON',
  'GCLOUD_KEYFILE_JSON',
  'GOOGLE_OAUTH_ACCESS_TOKEN',
  'CLOUDSDK_AUTH_ACCESS_TOKEN_FILE',
  'CLOUDSDK_CORE_ACCOUNT',
]

/** Writes the key file and points gcloud and the client libraries at it; returns its project. */
export function googleKey(
  plan: EnvPlan,
  key: string | undefined,
  file: string,
): string | undefined {
  if (!key) return undefined
  plan.files.push({ path: file, content: key })
  plan.set.GOOGLE_APPLICATION_CREDENTIALS = tempPath(file)
  plan.set.CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE = tempPath(file)
  plan.unset.push(...GOOGLE_OTHER_CREDENTIALS)
  try {
    const project = (parseJson(key) as { project_id?: unknown } | null)?.project_id
    return typeof project === 'string' ? project : undefined
  } catch {
    return undefined
  }
}

export function googleProject(plan: EnvPlan, project: string | undefined): void {
  if (!project) return
  plan.set.CLOUDSDK_CORE_PROJECT = project
  plan.set.GOOGLE_CLOUD_PROJECT = project
}

/** A GCP connection's key file and project; also used by the GCS state backend. */
export const gcpEnv: EnvMapper = (credentials, plan) => {
  const keyProject = googleKey(plan, credentials.secrets.service_account_key, 'gcp-key.json')
  googleProject(plan, credentials.config.project_id ?? keyProject)
}
