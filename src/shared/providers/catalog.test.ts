import { describe, expect, it } from 'vitest'
import { missingMessage } from './fields'
import {
  authModeLabels,
  getProvider,
  providerCategories,
  providerIds,
  providers,
  type AuthMode,
} from './index'

const allModes: AuthMode[] = ['inline', 'runner-delegated', 'cross-account', 'sso']

describe('provider catalog', () => {
  it('lists every provider id once, in catalog order', () => {
    expect(providerIds).toEqual(providers.map((provider) => provider.id))
    expect(new Set(providerIds).size).toBe(providerIds.length)
    for (const id of providerIds) expect(getProvider(id)?.id).toBe(id)
  })

  it('finds nothing for unknown ids', () => {
    for (const id of ['', 'AWS', 'toString', '__proto__', 'constructor'])
      expect(getProvider(id)).toBeUndefined()
  })

  it('labels every auth mode and orders the categories', () => {
    expect(Object.keys(authModeLabels).sort()).toEqual([...allModes].sort())
    expect(providerCategories).toEqual([
      'Cloud Providers',
      'Git',
      'Container Registries',
      'State Backends',
      'Kubernetes',
      'Databases',
      'File Transfer',
      'Generic',
      'Notifications',
      'AI',
    ])
  })

  describe.each(providers.map((provider) => [provider.id, provider] as const))(
    '%s',
    (_id, provider) => {
      it('is described consistently', () => {
        expect(provider.label).not.toBe('')
        expect(provider.description).not.toBe('')
        expect(providerCategories).toContain(provider.category)
        expect(provider.authModes).toContain(provider.defaultAuthMode)
        for (const mode of provider.authModes) expect(allModes).toContain(mode)
      })

      it('has unique snake_case keys and complete field specs', () => {
        const keys = provider.fields.map((field) => field.key)
        expect(new Set(keys).size).toBe(keys.length)
        for (const field of provider.fields) {
          expect(field.key).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/)
          expect(field.label).not.toBe('')
          expect(field.help.length).toBeGreaterThan(10)
          if (field.input === 'select') expect(field.options?.length).toBeGreaterThan(0)
          if (field.secret) expect(field.defaultValue).toBeUndefined()
          if (field.revealLast4) expect(field.secret).toBe(true)
          for (const mode of field.authModes ?? []) expect(provider.authModes).toContain(mode)
          for (const mode of field.optionalIn ?? []) expect(provider.authModes).toContain(mode)
          if (field.showWhen) {
            const controlling = provider.fields.find((other) => other.key === field.showWhen?.field)
            expect(controlling?.input).toBe('select')
            const values = controlling?.options?.map((option) => option.value)
            for (const value of field.showWhen.values) expect(values).toContain(value)
          }
        }
      })

      it('accepts its own examples, defaults and options', () => {
        for (const field of provider.fields) {
          const samples = [
            field.example,
            field.defaultValue,
            ...(field.options ?? []).map((option) => option.value),
          ].filter((sample): sample is string => sample !== undefined)
          for (const sample of samples) {
            const parsed = field.schema.safeParse(sample)
            expect(parsed.success, `${field.key}: ${sample}`).toBe(true)
          }
        }
      })

      it('tells where to find each required value', () => {
        for (const field of provider.fields.filter((candidate) => candidate.required))
          expect(missingMessage(field), field.key).not.toMatch(/Enter a value\.$/)
      })

      it('prefixes every schema message with the label', () => {
        for (const field of provider.fields) {
          const parsed = field.schema.safeParse('')
          expect(parsed.success).toBe(false)
          expect(parsed.error?.issues[0]?.message).toMatch(
            new RegExp(`^${escape(field.label)}: required\\.`),
          )
        }
      })
    },
  )
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
