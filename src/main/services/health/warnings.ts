import {
  EXPIRY_WARNING_DAYS,
  SECRET_AGE_WARNING_DAYS,
  type HealthWarning,
} from '../../../shared/health'

const DAY_MS = 86_400_000

/**
 * What is worth acting on before it breaks: a secret due for rotation, a credential that expires
 * soon (as the provider reported it), or one that already has; a last check that used an
 * earlier secret version, whose verdict (and reported expiry) says nothing about the current one;
 * and what the check itself found missing (permissions a connection's capabilities need).
 */
export function healthWarnings(
  facts: {
    secretCreatedAt?: string
    expiresAt?: string
    hasSecret: boolean
    /** The secret version the last check used, and the connection's current one. */
    checkedVersion?: number
    currentVersion?: number
    /** What the last check itself warned about (an AWS role's missing permissions). */
    checkWarnings?: string[]
  },
  now: Date,
): { warnings: HealthWarning[]; secretAgeDays?: number } {
  const warnings: HealthWarning[] = []
  const stale =
    facts.checkedVersion !== undefined &&
    facts.currentVersion !== undefined &&
    facts.checkedVersion !== facts.currentVersion
  if (stale) {
    warnings.push({
      kind: 'stale',
      message: `The secret changed since the last check (that checked version ${facts.checkedVersion}, now ${facts.currentVersion}): verify it again.`,
    })
  }
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
  // An expiry the provider reported for the earlier secret is not the current secret's.
  if (facts.expiresAt && !stale) {
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
  // Found with an earlier secret: "verify it again" (above) says all that is still true.
  if (!stale)
    for (const message of facts.checkWarnings ?? []) warnings.push({ kind: 'permissions', message })
  return { warnings, ...(secretAgeDays === undefined ? {} : { secretAgeDays }) }
}
