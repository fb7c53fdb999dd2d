import { describe, expect, it } from 'vitest'
import { auditActionLabel, auditActionLabels, auditActions } from './audit'

describe('audit action names', () => {
  it('gives every recorded action a plain-English name, not its code', () => {
    for (const action of auditActions) {
      const label = auditActionLabels[action]
      expect(label, action).toMatch(/^[A-Z][A-Za-z_ -]+$/)
      expect(label, action).not.toBe(action)
    }
  })

  it('names no action that is not recorded', () => {
    expect(Object.keys(auditActionLabels).sort()).toEqual([...auditActions].sort())
  })

  it('gives each action its own name, so the Action filter has no two alike', () => {
    expect(new Set(Object.values(auditActionLabels)).size).toBe(auditActions.length)
  })

  it('shows an action written by a newer version as its code', () => {
    expect(auditActionLabel('connection.reveal')).toBe('Revealed a secret')
    expect(auditActionLabel('future.action')).toBe('future.action')
  })
})
