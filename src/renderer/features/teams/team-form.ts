import { useCallback, useState } from 'react'
import { isBridgekeepError } from '../../../shared/errors'
import { fieldErrorsFrom } from '../../components/field-errors'
import type { TeamDatabaseChoice } from './TeamDatabaseFields'

/**
 * A team form's state: where the database is, and main's refusal split into what belongs beside
 * a field (input issues, or a refusal about the field `about` picks) and what belongs beside the
 * submit button (the rest: the database refused the login, the connection is not authorized…).
 */
export function useTeamForm(fields: readonly string[]) {
  const [database, setDatabase] = useState<TeamDatabaseChoice>({ connection: '', environment: '' })
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)

  const clear = useCallback(() => {
    setFieldErrors({})
    setError(null)
  }, [])

  const refused = useCallback(
    (failure: unknown, about?: (message: string) => string | undefined) => {
      const field = isBridgekeepError(failure) ? about?.(failure.message) : undefined
      if (isBridgekeepError(failure) && (failure.issues?.length || field)) {
        const shown = new Set(['connection', 'environment', ...fields])
        const { '': elsewhere, ...byField } = fieldErrorsFrom(failure, {
          fallback: field ?? '',
          shown,
        })
        setFieldErrors(byField)
        setError(elsewhere === undefined ? null : failure)
      } else {
        setFieldErrors({})
        setError(failure)
      }
    },
    [fields],
  )

  return { database, setDatabase, fieldErrors, error, clear, refused }
}
