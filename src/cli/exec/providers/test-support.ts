// What the exec mapping tests share: credential sets to map, and a plan as exec would see it.
import { resolveTempPaths, type CredentialSet, type EnvPlan } from '../env-plan'

export const inline = (
  provider: string,
  config: Record<string, string>,
  secrets: Record<string, string> = {},
  linked?: Record<string, CredentialSet>,
): CredentialSet => ({
  provider,
  authMode: 'inline',
  config,
  secrets,
  ...(linked ? { linked } : {}),
})

/** The plan with its temp paths resolved under /T, as exec would see it. */
export function resolved(plan: EnvPlan) {
  const set = Object.fromEntries(
    Object.entries(plan.set).map(([k, v]) => [
      k,
      resolveTempPaths(v, (rel) => (rel ? `/T/${rel}` : '/T')),
    ]),
  )
  const files = Object.fromEntries(plan.files.map((file) => [file.path, file.content]))
  return { set, files, unset: plan.unset }
}

export const AWS_KEYS = {
  access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}

export const SA_KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'key-project-123',
  private_key: 'PK',
})
