import {
  EXPIRY_WARNING_DAYS,
  SECRET_AGE_WARNING_DAYS,
  type HealthWarning,
} from '../../../shared/health'

const DAY_MS = 86_400_000

/**
 * What is worth acting on before it breaks: a secret due for rotation, a credential that expires
 * soon (as the provider reported it), or one that already has.
 */
export function healthWarnings(
  facts: { secretCreatedAt?: string; expiresAt?: string; hasSecret: boolean },
  now: Date,
): { warnings: HealthWarning[]; secretAgeDays?: number } {
  const warnings: HealthWarning[] = []
  let secretAgeDays: number | undefined
  if (facts.hasSecret && facts.secretCreatedAt) {
    secretAgeDays = Math.max(
      0,
      Math.floor((now.getTime() - Date.parse(facts.secretCreatedAt)) / DAY_MS),
    )
    if (secretAgeDays >= SECRET_AGE_WARNING_DAYS) {
      warnings.push({
        kind: 'secret-age',
        message: `The secret is ${secretAgeDays} days old: rotate it (rotation reminder after ${SECRET_AGE_WARNING_DAYS} days).`,
      })
    }
  }
  if (facts.expiresAt) {
    const left = Date.parse(facts.expiresAt) - now.getTime()
    const date = facts.expiresAt.slice(0, 10)
    if (left <= 0) {
      warnings.push({
        kind: 'expired',
        message: `The credential expired on ${date}: issue a new one and rotate it here.`,
      })
    } else if (left < EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.ceil(left / DAY_MS)
      warnings.push({
        kind: 'expiry',
        message: `The credential expires on ${date} (in ${days} day${days === 1 ? '' : 's'}): issue a new one and rotate it here before then.`,
      })
    }
  }
  return { warnings, ...(secretAgeDays === undefined ? {} : { secretAgeDays }) }
}
