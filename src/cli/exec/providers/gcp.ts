import { parseJson } from '../../../shared/parse-untrusted-json'
import { googleProjectVariables, googleTokenVariables } from '../../../shared/token-variables'
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
  Object.assign(plan.set, googleProjectVariables(project))
}

/**
 * An issued access token (a short-lived-only connection), as gcloud and Terraform's Google
 * provider read one: no key file at all, and none the caller's environment would point at.
 */
function googleAccessToken(plan: EnvPlan, token: string, project: string | undefined): void {
  Object.assign(plan.set, googleTokenVariables(token, project))
  plan.unset.push(
    ...GOOGLE_OTHER_CREDENTIALS,
    'GOOGLE_APPLICATION_CREDENTIALS',
    'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
  )
}

/** A GCP connection's key file (or issued token) and project; also used by the GCS state backend. */
export const gcpEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.access_token) {
    googleAccessToken(plan, secrets.access_token, config.project_id)
    return
  }
  const keyProject = googleKey(plan, secrets.service_account_key, 'gcp-key.json')
  googleProject(plan, config.project_id ?? keyProject)
}
