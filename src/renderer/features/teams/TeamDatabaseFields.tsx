import { useEffect } from 'react'
import { useConnections } from '../../api/connections'
import { useAuthorizationsFor, useEnvironments } from '../../api/environments'
import { FormField } from '../../components/FormField'

export interface TeamDatabaseChoice {
  /** The PostgreSQL connection's slug ('' until chosen). */
  connection: string
  /** The environment's slug ('' until chosen). */
  environment: string
}

/**
 * Where the team database is: one of this vault's PostgreSQL connections and an environment it
 * is authorized for (the use is resolved, recorded and audited there like any other). With no
 * PostgreSQL connection yet, the field says what to create first.
 */
export function TeamDatabaseFields({
  idPrefix,
  value,
  onChange,
  errors,
}: {
  idPrefix: string
  value: TeamDatabaseChoice
  onChange: (value: TeamDatabaseChoice) => void
  errors: Record<string, string>
}) {
  const connections = useConnections()
  const environments = useEnvironments()
  const postgres = (connections.data ?? []).filter((c) => c.provider === 'postgres')
  const chosen = postgres.find((c) => c.slug === value.connection)
  const authorized = useAuthorizationsFor(chosen?.id)
  const allowed = (environments.data ?? []).filter((e) =>
    authorized.data?.environmentIds.includes(e.id),
  )

  // The only choice is made for the user; a choice that is no longer offered is dropped.
  const onlyConnection = postgres.length === 1 ? postgres[0]!.slug : undefined
  const onlyEnvironment = allowed.length === 1 ? allowed[0]!.slug : undefined
  const environmentGone =
    value.environment !== '' &&
    authorized.data &&
    !allowed.some((e) => e.slug === value.environment)
  useEffect(() => {
    if (!value.connection && onlyConnection) onChange({ ...value, connection: onlyConnection })
    else if ((!value.environment || environmentGone) && onlyEnvironment)
      onChange({ ...value, environment: onlyEnvironment })
    else if (environmentGone) onChange({ ...value, environment: '' })
  }, [value, onChange, onlyConnection, onlyEnvironment, environmentGone])

  const none = connections.isSuccess && postgres.length === 0
  return (
    <>
      <FormField
        id={`${idPrefix}-connection`}
        label="PostgreSQL connection"
        required
        error={errors.connection}
        help={
          none
            ? 'You have no PostgreSQL connection yet. Add one first (Connections, New connection, PostgreSQL) and authorize it for an environment.'
            : "Its login needs the team's database role (the founder's needs CREATEROLE)."
        }
      >
        {(control) => (
          <select
            {...control}
            className="input"
            value={value.connection}
            onChange={(event) => onChange({ connection: event.target.value, environment: '' })}
          >
            <option value="">
              {connections.isPending ? 'Loading…' : none ? 'None yet' : 'Choose a connection'}
            </option>
            {postgres.map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField
        id={`${idPrefix}-environment`}
        label="Environment"
        required
        error={errors.environment}
        help={
          chosen && authorized.isSuccess && allowed.length === 0
            ? `${chosen.name} is authorized for no environment yet: authorize it in the matrix first.`
            : 'The environment the connection is used in (it must be authorized there).'
        }
      >
        {(control) => (
          <select
            {...control}
            className="input"
            value={value.environment}
            disabled={!chosen}
            onChange={(event) => onChange({ ...value, environment: event.target.value })}
          >
            <option value="">Choose an environment</option>
            {allowed.map((e) => (
              <option key={e.id} value={e.slug}>
                {e.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
    </>
  )
}
