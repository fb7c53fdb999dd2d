import { getProvider } from '../../shared/providers'
import type { SsoInstance } from '../../main/services/aws-sso/sso-session-store'
import { stringOption, type OptionSpec, type OptionValues } from '../framework/command'
import { UsageError } from '../framework/errors'

/** The options naming an IAM Identity Center instance, shared by `aws sso login` and `aws sso add`. */
export const instanceOptions: Record<string, OptionSpec> = {
  'start-url': {
    type: 'string',
    valueName: 'url',
    description:
      'the AWS access portal URL (IAM Identity Center → Settings), e.g. https://my-org.awsapps.com/start',
  },
  region: {
    type: 'string',
    valueName: 'region',
    description: 'the region IAM Identity Center is enabled in, e.g. us-east-1',
  },
  'oidc-endpoint': {
    type: 'string',
    valueName: 'url',
    description:
      'where to reach SSO-OIDC instead of oidc.<region>.amazonaws.com (VPC endpoints, tests)',
  },
  'portal-endpoint': {
    type: 'string',
    valueName: 'url',
    description:
      'where to reach the access portal API instead of portal.sso.<region>.amazonaws.com (VPC endpoints, tests)',
  },
}

/** The instance the options name, checked with the catalog's own field rules. */
export function instanceFrom(values: OptionValues, command: string): SsoInstance {
  const field = (key: string, option: string): string => {
    const raw = stringOption(values, option)
    if (raw === undefined)
      throw new UsageError(
        `--${option} is required (${instanceOptions[option]!.description}).`,
        command,
      )
    const spec = getProvider('aws')!.fields.find((candidate) => candidate.key === key)!
    const parsed = spec.schema.safeParse(raw)
    if (!parsed.success)
      throw new UsageError(`--${option}: ${parsed.error.issues[0]!.message}`, command)
    return parsed.data
  }
  const endpoint = (option: string): Record<string, string> => {
    const raw = stringOption(values, option)
    if (raw === undefined) return {}
    let url: URL | undefined
    try {
      url = new URL(raw)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      throw new UsageError(`--${option}: "${raw}" is not an http(s) URL.`, command)
    return { [option === 'oidc-endpoint' ? 'oidcEndpoint' : 'portalEndpoint']: url.origin }
  }
  return {
    startUrl: field('sso_start_url', 'start-url'),
    region: field('sso_region', 'region'),
    ...endpoint('oidc-endpoint'),
    ...endpoint('portal-endpoint'),
  }
}
