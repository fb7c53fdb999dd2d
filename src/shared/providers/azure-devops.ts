import { caCertificateField } from './endpoint-fields'
import { baseUrl, defineField, fail, ok } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const EXAMPLE = 'https://dev.azure.com/contoso'

// Azure DevOps Services (dev.azure.com/<org>, or the older <org>.visualstudio.com) and Azure
// DevOps Server (any https address of a collection); plain http only for localhost, as always.
const organizationUrl: Parser = (value) => {
  const parsed = baseUrl(EXAMPLE)(value)
  if (!parsed.ok) return parsed
  const url = new URL(parsed.value)
  if (url.hostname === 'dev.azure.com' && url.pathname.split('/').filter(Boolean).length !== 1)
    return fail(
      `must be the organization's address, dev.azure.com/<organization> without a project, e.g. ${EXAMPLE}.`,
    )
  return parsed
}

// Classic tokens are 52 base32 characters; those issued since 2025 are 84 letters and digits.
const pat: Parser = (value) =>
  /^[A-Za-z0-9]{52}$/.test(value) || /^[A-Za-z0-9]{84}$/.test(value)
    ? ok(value)
    : fail(
        'must be a personal access token (52 or 84 letters and digits): User settings → Personal access tokens → New Token.',
      )

export const azureDevops: ProviderSpec = {
  id: 'azure-devops',
  label: 'Azure DevOps',
  category: 'Git',
  description: 'An organization and a personal access token.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'organization_url',
      label: 'Organization URL',
      required: true,
      input: 'url',
      example: EXAMPLE,
      help: 'The address of your organization (https://dev.azure.com/<organization>), or of a collection on Azure DevOps Server.',
      parse: organizationUrl,
    }),
    defineField({
      key: 'pat',
      label: 'Personal access token',
      secret: true,
      required: true,
      revealLast4: true,
      help: 'User settings (top right) → Personal access tokens → New Token, for this organization, with the scopes your pipelines need (Code → Read to clone). It is shown once.',
      missing: 'Create one under User settings → Personal access tokens and paste it.',
      parse: pat,
    }),
    caCertificateField('the organization URL'),
  ],
}
