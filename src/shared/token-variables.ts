/**
 * The environment variables through which tools take an issued GCP or Azure access token and the
 * settings beside it: exec sets them for a short-lived-only connection, and `team credentials`
 * prints them for a token from the team runner. One list, so the two never drift apart.
 */

const AZURE_CLOUDS: Record<string, { authority: string; arm: string }> = {
  public: { authority: 'https://login.microsoftonline.com', arm: 'public' },
  usgovernment: { authority: 'https://login.microsoftonline.us', arm: 'usgovernment' },
  china: { authority: 'https://login.chinacloudapi.cn', arm: 'china' },
}

/** A Google project, as gcloud (CLOUDSDK_CORE_PROJECT) and the client libraries read it. */
export function googleProjectVariables(project: string | undefined): Record<string, string> {
  return project ? { CLOUDSDK_CORE_PROJECT: project, GOOGLE_CLOUD_PROJECT: project } : {}
}

/** An OAuth access token, as gcloud and Terraform's Google provider read one. */
export function googleTokenVariables(token: string, project?: string): Record<string, string> {
  return {
    CLOUDSDK_AUTH_ACCESS_TOKEN: token,
    GOOGLE_OAUTH_ACCESS_TOKEN: token,
    ...googleProjectVariables(project),
  }
}

/**
 * An Azure connection's tenant, subscription and cloud: AZURE_* for az and the Azure SDKs, ARM_*
 * for Terraform (its `cloud` field: public, usgovernment or china).
 */
export function azureSettingVariables(
  config: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const cloud = AZURE_CLOUDS[config.cloud ?? 'public'] ?? AZURE_CLOUDS.public!
  const both = (name: string, value: string | undefined): Record<string, string> =>
    value === undefined ? {} : { [`AZURE_${name}`]: value, [`ARM_${name}`]: value }
  return {
    ...both('TENANT_ID', config.tenant_id),
    ...both('SUBSCRIPTION_ID', config.subscription_id),
    AZURE_AUTHORITY_HOST: cloud.authority,
    ARM_ENVIRONMENT: cloud.arm,
  }
}

/** An Entra access token with its connection's settings (neither az nor azurerm reads it bare). */
export function azureTokenVariables(
  token: string,
  config: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return { ...azureSettingVariables(config), AZURE_ACCESS_TOKEN: token }
}
