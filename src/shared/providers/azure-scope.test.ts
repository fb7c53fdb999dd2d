import { describe, expect, it } from 'vitest'
import { parseAzureScope } from './azure-scope'

describe('an Azure token scope', () => {
  it('takes a resource URL or its .default scope, as the .default scope', () => {
    for (const [given, scope] of [
      ['https://vault.azure.net', 'https://vault.azure.net/.default'],
      ['https://vault.azure.net/', 'https://vault.azure.net/.default'],
      ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com/.default'],
      [' https://storage.azure.com/.default ', 'https://storage.azure.com/.default'],
      ['https://contoso.example/api', 'https://contoso.example/api/.default'],
    ])
      expect(parseAzureScope(given!), given).toEqual({ ok: true, value: scope })
  })

  it('refuses what client credentials cannot get, saying what to give', () => {
    const problem = (value: string) => {
      const parsed = parseAzureScope(value)
      return parsed.ok ? 'accepted' : parsed.problem
    }
    expect(problem('vault')).toMatch(
      /^"vault" is not a resource or scope: give the resource's https URL/,
    )
    expect(problem('http://vault.azure.net')).toMatch(/an https URL without query or credentials/)
    expect(problem('https://vault.azure.net/?x=1')).toMatch(/without query/)
    for (const delegated of [
      'https://graph.microsoft.com/User.Read',
      'https://graph.microsoft.com/Files.ReadWrite.All',
      'https://management.azure.com/user_impersonation',
      'https://graph.microsoft.com/.read',
    ])
      expect(problem(delegated), delegated).toMatch(/names a delegated permission/)
  })
})
