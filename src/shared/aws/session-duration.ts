import { z } from 'zod'

// How long the STS sessions of an AWS connection last, as its owner sets it ("Session duration").
// AWS's own limits, in seconds: AssumeRole 15 min to 12 h (and never longer than the role's
// MaxSessionDuration, which only AWS knows), GetSessionToken with an IAM user's keys 15 min to 36 h.

/** The config key of the connection's session duration. */
export const SESSION_DURATION_FIELD = 'session_duration'

/** An hour, like the AWS CLI's own assume-role profiles. */
export const DEFAULT_SESSION_SECONDS = 3600

export const SESSION_LIMITS = {
  minSeconds: 900,
  assumeRoleMaxSeconds: 43_200,
  sessionTokenMaxSeconds: 129_600,
} as const

/** "90", "90m", "1h", "1h30m" (plain numbers are minutes). */
const DURATION = /^(?:(\d{1,3})h)?\s*(?:(\d{1,5})m?)?$/i

const minutesSchema = z
  .string()
  .trim()
  .regex(DURATION)
  .transform((text) => {
    const [, hours, minutes] = DURATION.exec(text)!
    return Number(hours ?? 0) * 60 + Number(minutes ?? 0)
  })
  .pipe(
    z
      .number()
      .int()
      .min(SESSION_LIMITS.minSeconds / 60)
      .max(SESSION_LIMITS.sessionTokenMaxSeconds / 60),
  )

export const ASSUME_ROLE_RANGE =
  "a role's session lasts 15 minutes to 12 hours, and at most the role's Maximum session duration (IAM → Roles → the role → Maximum session duration; 1 hour unless it was raised)"
const SESSION_TOKEN_RANGE =
  "an IAM user's session (GetSessionToken) lasts 15 minutes to 36 hours; a role's (cross-account) 15 minutes to 12 hours"

/** Parses what a person typed into whole minutes, or says what is allowed. */
export function parseSessionMinutes(
  text: string,
): { ok: true; minutes: number } | { ok: false; problem: string } {
  if (!/\d/.test(text) || !DURATION.test(text.trim()))
    return {
      ok: false,
      problem: `${JSON.stringify(text.slice(0, 40))} is not a duration: write minutes or hours, e.g. 45m, 1h or 1h30m.`,
    }
  const parsed = minutesSchema.safeParse(text)
  return parsed.success
    ? { ok: true, minutes: parsed.data }
    : { ok: false, problem: `must be between 15 minutes and 36 hours: ${SESSION_TOKEN_RANGE}.` }
}

/** Minutes in the form the connection stores and shows: "45m", "1h", "1h30m". */
export function formatSessionMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return `${hours ? `${hours}h` : ''}${rest || !hours ? `${rest}m` : ''}`
}

/** The session length a connection's config asks for, in seconds (an hour when it sets none). */
export function sessionSeconds(config: Readonly<Record<string, string>>): number {
  const text = config[SESSION_DURATION_FIELD]
  if (!text) return DEFAULT_SESSION_SECONDS
  const parsed = parseSessionMinutes(text)
  return parsed.ok ? parsed.minutes * 60 : DEFAULT_SESSION_SECONDS
}

/** The session length a connection asks for, for people: "1 h", "15 min", "2 h 30 min". */
export function sessionLengthLabel(config: Readonly<Record<string, string>>): string {
  const minutes = sessionSeconds(config) / 60
  const hours = Math.floor(minutes / 60)
  return [hours ? `${hours} h` : '', minutes % 60 ? `${minutes % 60} min` : ''].join(' ').trim()
}
