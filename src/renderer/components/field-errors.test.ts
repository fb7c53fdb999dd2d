import { describe, expect, it } from 'vitest'
import { BridgekeepError } from '../../shared/errors'
import { fieldErrorsFrom } from './field-errors'

const refusal = new BridgekeepError('VALIDATION', 'Check the form.', undefined, [
  { field: 'name', message: 'Name: required.' },
  { field: 'name', message: 'Name: too long.' },
  { field: 'hidden', message: 'Hidden: wrong.' },
  { field: '', message: 'Form: inconsistent.' },
])

describe('fieldErrorsFrom', () => {
  it('puts each issue beside its field, the first per field, the rest under the fallback', () => {
    expect(fieldErrorsFrom(refusal, { shown: new Set(['name']) })).toEqual({
      name: 'Name: required.',
      '': 'Hidden: wrong.',
    })
    expect(fieldErrorsFrom(refusal, { fallback: 'address' })).toEqual({
      name: 'Name: required.',
      hidden: 'Hidden: wrong.',
      address: 'Form: inconsistent.',
    })
  })

  it('shows any other refusal whole, with its hint, and a stranger error as told', () => {
    const locked = new BridgekeepError('VAULT_LOCKED', 'The vault is locked.', 'Unlock it first.')
    expect(fieldErrorsFrom(locked)).toEqual({ '': 'The vault is locked. Unlock it first.' })
    expect(fieldErrorsFrom(new Error('boom'), { unexpected: 'Not saved.' })).toEqual({
      '': 'Not saved.',
    })
    expect(fieldErrorsFrom(new Error('boom'), { fallback: 'x' }).x).toMatch(/unexpected/)
  })
})
