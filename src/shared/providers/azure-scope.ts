import { fail, ok, quote, type Parsed } from './fields'

// Which resource an Azure access token is for. Client credentials (a service principal's secret)
// take exactly one scope, the resource's ".default": Resource Manager unless the connection or the
// exec names another (Microsoft Graph, Key Vault, Storage...).

/** The config key of an Azure connection's token scope. */
export const TOKEN_SCOPE_FIELD = 'token_scope'

const EXAMPLES =
  'https://management.azure.com/.default, https://graph.microsoft.com/.default, https://vault.azure.net/.default'

/**
 * A resource URL ("https://vault.azure.net") or its ".default" scope, as the ".default" scope:
 * the only kind client credentials accept.
 */
export function parseAzureScope(value: string): Parsed {
  const text = value.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return fail(
      `${quote(text)} is not a resource or scope: give the resource's https URL or its ".default" scope, e.g. ${EXAMPLES}.`,
    )
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || /\s/.test(text))
    return fail(
      `${quote(text)} is not a resource or scope: an https URL without query or credentials, e.g. ${EXAMPLES}.`,
    )
  const path = url.pathname.replace(/\/+$/, '')
  const last = path.split('/').at(-1) ?? ''
  // User.Read, Files.ReadWrite.All, user_impersonation: permissions a signed-in user consents to.
  const permission = /^(?:[A-Z][A-Za-z]*(?:\.[A-Za-z]+)+|user_impersonation)$/.test(last)
  if ((last.startsWith('.') && last !== '.default') || permission)
    return fail(
      `${quote(text)} names a delegated permission; a service principal's client secret gets tokens for a resource's ".default" scope only, e.g. ${EXAMPLES}.`,
    )
  const resource = `${url.origin}${last === '.default' ? path.slice(0, -'/.default'.length) : path}`
  return ok(`${resource}/.default`)
}

/** The resource a ".default" scope names, as the token's audience shows it. */
export const scopeResource = (scope: string): string => scope.replace(/\/\.default$/, '')
