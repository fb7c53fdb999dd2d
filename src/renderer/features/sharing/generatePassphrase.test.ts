import { describe, expect, it } from 'vitest'
import { generatePassphrase } from './generatePassphrase'

describe('generatePassphrase', () => {
  it('gives five dash-separated groups of four symbols, no vowels and no look-alikes', () => {
    const made = Array.from({ length: 200 }, generatePassphrase)
    for (const passphrase of made) {
      expect(passphrase).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/)
      expect(passphrase).not.toMatch(/[aeiouyl01]/)
    }
    // 95 bits each: two alike in 200 would mean the generator is broken.
    expect(new Set(made).size).toBe(made.length)
  })
})
