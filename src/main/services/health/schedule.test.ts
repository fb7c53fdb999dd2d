import { describe, expect, it } from 'vitest'
import { healthWarnings } from './warnings'
import { nextCheckAt } from './schedule'

const now = new Date('2026-06-01T00:00:00Z')
const minutesAfter = (at: Date) => (at.getTime() - now.getTime()) / 60_000

describe('nextCheckAt', () => {
  it('is one interval away, jittered by at most 10% either way', () => {
    expect(minutesAfter(nextCheckAt(360, 0, now, () => 0.5))).toBe(360)
    expect(minutesAfter(nextCheckAt(360, 0, now, () => 0))).toBeCloseTo(324)
    expect(minutesAfter(nextCheckAt(360, 0, now, () => 0.999999))).toBeCloseTo(396)
    const spread = Array.from({ length: 200 }, () => minutesAfter(nextCheckAt(360, 1, now)))
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(324)
    expect(Math.max(...spread)).toBeLessThanOrEqual(396)
    expect(new Set(spread).size).toBeGreaterThan(150)
  })

  it('backs off while failing: doubling per failure, capped at a day (or eight intervals)', () => {
    const at = (interval: number, failures: number) =>
      minutesAfter(nextCheckAt(interval, failures, now, () => 0.5))
    expect([1, 2, 3, 4, 5, 10].map((f) => at(60, f))).toEqual([60, 120, 240, 480, 480, 480])
    expect([1, 2, 3, 4].map((f) => at(360, f))).toEqual([360, 720, 1440, 1440])
    // An interval longer than a day is never shortened by backing off.
    expect(at(2880, 5)).toBe(2880)
  })
})

describe('healthWarnings', () => {
  const day = 86_400_000
  const ago = (days: number) => new Date(now.getTime() - days * day).toISOString()
  const ahead = (days: number) => new Date(now.getTime() + days * day).toISOString()

  it('reminds to rotate a secret from 90 days old, not before', () => {
    expect(healthWarnings({ hasSecret: true, secretCreatedAt: ago(89) }, now)).toEqual({
      warnings: [],
      secretAgeDays: 89,
    })
    expect(healthWarnings({ hasSecret: true, secretCreatedAt: ago(124) }, now)).toEqual({
      warnings: [
        {
          kind: 'secret-age',
          message: 'The secret is 124 days old: rotate it (rotation reminder after 90 days).',
        },
      ],
      secretAgeDays: 124,
    })
    // Runner-delegated connections store no secret: nothing ages.
    expect(healthWarnings({ hasSecret: false, secretCreatedAt: ago(400) }, now)).toEqual({
      warnings: [],
    })
  })

  it('warns of an expiry within 14 days, and of one that passed', () => {
    expect(healthWarnings({ hasSecret: false, expiresAt: ahead(30) }, now).warnings).toEqual([])
    expect(healthWarnings({ hasSecret: false, expiresAt: ahead(3) }, now).warnings).toEqual([
      {
        kind: 'expiry',
        message:
          'The credential expires on 2026-06-04 (in 3 days): issue a new one and rotate it here before then.',
      },
    ])
    expect(healthWarnings({ hasSecret: false, expiresAt: ago(1) }, now).warnings).toEqual([
      {
        kind: 'expired',
        message: 'The credential expired on 2026-05-31: issue a new one and rotate it here.',
      },
    ])
    // Checked with an earlier secret version: stale, and its reported expiry is not the current one's.
    expect(
      healthWarnings(
        { hasSecret: true, expiresAt: ahead(3), checkedVersion: 1, currentVersion: 2 },
        now,
      ).warnings.map((warning) => warning.kind),
    ).toEqual(['stale'])
    expect(
      healthWarnings({ hasSecret: true, checkedVersion: 2, currentVersion: 2 }, now).warnings,
    ).toEqual([])
  })
})
