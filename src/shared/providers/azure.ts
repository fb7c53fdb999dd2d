import { runnerField } from './runner-field'
import { parseAzureScope, TOKEN_SCOPE_FIELD } from './azure-scope'
import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, guid, isGuid, ok } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const clientSecret: Parser = (value) => {
  // A common slip: the Secret ID column (a GUID) is copied instead of the Value column.
  if (isGuid(value))
    return fail(
      "this is the secret's ID, not its value. Copy the Value column, shown only right after the secret is created.",
    )
  if (/\s/.test(value)) return fail('must not contain spaces or line breaks; paste the value only.')
  return value.length >= 16 && value.length <= 256
    ? ok(value)
    : fail('is not a client secret value (those are about 40 characters, e.g. with "~" inside).')
}

export const azure: ProviderSpec = {
  id: 'azure',
  label: 'Microsoft Azure',
  category: 'Cloud Providers',
  description: "A service principal with a client secret, or the runner's DefaultAzureCredential.",
  authModes: ['inline', 'runner-delegated'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'tenant_id',
      identifier: true,
      label: 'Tenant ID',
      required: true,
      example: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      help: 'The Microsoft Entra directory: Microsoft Entra ID → Overview → Tenant ID (also on the app registration\'s Overview as "Directory (tenant) ID").',
      missing: 'Find it under Microsoft Entra ID → Overview → Tenant ID.',
      parse: guid('Find it under Microsoft Entra ID → Overview → Tenant ID.'),
    }),
    defineField({
      key: 'subscription_id',
      identifier: true,
      label: 'Subscription ID',
      required: true,
      example: '9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13',
      help: 'The subscription to manage: Subscriptions → the subscription → Subscription ID.',
      missing: 'Find it under Subscriptions → the subscription → Subscription ID.',
      parse: guid('Find it under Subscriptions → the subscription → Subscription ID.'),
    }),
    defineField({
      key: 'client_id',
      identifier: true,
      label: 'Client ID',
      required: true,
      authModes: ['inline'],
      example: '3e5f1a2b-7c4d-4e9f-8a6b-1c2d3e4f5a6b',
      help: 'The service principal\'s app: App registrations → the app → Overview → "Application (client) ID".',
      missing: 'Find it under App registrations → the app → Application (client) ID.',
      parse: guid('Find it under App registrations → the app → Application (client) ID.'),
    }),
    defineField({
      key: 'client_secret',
      label: 'Client secret',
      secret: true,
      required: true,
      authModes: ['inline'],
      help: 'App registrations → the app → Certificates & secrets → New client secret; copy the Value right away (it is shown once). Secrets expire: note the date.',
      missing: 'Paste the Value of a client secret (App registrations → Certificates & secrets).',
      parse: clientSecret,
    }),
    defineField({
      key: 'cloud',
      label: 'Cloud',
      options: [
        { value: 'public', label: 'Azure (global)' },
        { value: 'usgovernment', label: 'Azure US Government' },
        { value: 'china', label: 'Azure China (21Vianet)' },
      ],
      defaultValue: 'public',
      help: 'Which Azure cloud the tenant lives in. Almost always the global one.',
    }),
    endpointField({
      key: 'authority_host',
      label: 'Authority host',
      example: 'https://login.microsoftonline.us',
      httpsOnly: true,
      help: "The Microsoft Entra sign-in host, for clouds the list above does not name (Azure Stack Hub, air-gapped clouds). Overrides the cloud's own host.",
    }),
    caCertificateField('the authority host'),
    defineField({
      key: TOKEN_SCOPE_FIELD,
      label: 'Token scope',
      advanced: true,
      authModes: ['inline'],
      example: 'https://vault.azure.net/.default',
      placeholder: "Resource Manager (the cloud's management endpoint)",
      help: 'The resource the access tokens handed to tools are for, when they get short-lived credentials only: its ".default" scope or URL (Microsoft Graph https://graph.microsoft.com, Key Vault https://vault.azure.net, Storage https://storage.azure.com). Empty: Resource Manager. \'bridgekeep exec --azure-scope\' picks another for one run.',
      parse: parseAzureScope,
    }),
    runnerField(['runner-delegated']),
  ],
}
