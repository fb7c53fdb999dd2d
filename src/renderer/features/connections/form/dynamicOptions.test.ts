import { describe, expect, it } from 'vitest'
import { getProvider } from '../catalog'
import { dynamicOptions } from './dynamicOptions'

const aws = getProvider('aws')!
const github = getProvider('github')!

describe("a connection's Runner field", () => {
  it("offers the vault's runners, local first (as the empty value: local is the default)", () => {
    expect(dynamicOptions(aws, {}, ['local', 'build-eu', 'build-us']).runner).toEqual([
      { value: '', label: 'local (started by the app)' },
      { value: 'build-eu', label: 'build-eu' },
      { value: 'build-us', label: 'build-us' },
    ])
  })

  it('keeps a stored "local" and a name that is no runner of the vault choosable as they are', () => {
    expect(dynamicOptions(aws, { runner: 'local' }, ['local'])?.runner?.[0]?.value).toBe('local')
    expect(dynamicOptions(aws, { runner: 'gone' }, ['local', 'build-eu']).runner?.at(-1)).toEqual({
      value: 'gone',
      label: 'gone (not a runner of this vault)',
    })
  })

  it('stays a text field until the runners are known, and only where a provider has one', () => {
    expect(dynamicOptions(aws, {}, undefined).runner).toBeUndefined()
    expect(dynamicOptions(github, {}, ['local', 'build-eu']).runner).toBeUndefined()
  })
})
