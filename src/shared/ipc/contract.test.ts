import { describe, expect, it } from 'vitest'
import { allChannels, findChannel, findEvent } from './contract'

describe('contract lookups', () => {
  it('finds declared channels and events', () => {
    expect(findChannel('settings:update')).toBeDefined()
    expect(findEvent('settings:changed')).toBeDefined()
  })

  it.each([
    'settings',
    'settings:',
    ':get',
    'settings:get:extra',
    'toString:call',
    'settings:hasOwnProperty',
    '__proto__:x',
  ])('finds nothing for %s', (name) => {
    expect(findChannel(name)).toBeUndefined()
    expect(findEvent(name)).toBeUndefined()
  })

  it('names every channel <feature>:<method> in lower camel case', () => {
    for (const channel of allChannels()) expect(channel).toMatch(/^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/)
  })
})
