import { describe, expect, it } from 'vitest'
import { resolveTempPaths, tempPath } from './env-plan'

describe('tempPath markers', () => {
  it('resolves temp path markers, and leaves other text alone', () => {
    expect(
      resolveTempPaths(`a=${tempPath('x.json')};b=${tempPath('')}`, (rel) => `/dir/${rel}`),
    ).toBe('a=/dir/x.json;b=/dir/')
    expect(resolveTempPaths('plain', () => 'never')).toBe('plain')
  })
})
