import { describe, expect, it } from 'vitest'
import { listNames, plural, readableTime } from './wording'

describe('wording', () => {
  it('counts with the right plural', () => {
    expect(plural(1, 'grant')).toBe('1 grant')
    expect(plural(2000, 'entry', 'entries')).toBe('2,000 entries')
  })

  it('lists up to a number of names, then how many more', () => {
    expect(listNames(['a', 'b'], 2)).toBe('a, b')
    expect(listNames(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more')
  })

  it('writes a time to the minute in UTC, and leaves what is not a time as it is', () => {
    expect(readableTime('2026-12-06T20:08:40.061Z')).toBe('2026-12-06 20:08 UTC')
    expect(readableTime('2026-12-06T21:08:40+01:00')).toBe('2026-12-06 20:08 UTC')
    expect(readableTime('not a time')).toBe('not a time')
  })
})
