import { Check, Minus } from 'lucide-react'
import { useEnvironments } from '../../api/environments'
import { useSetTeamEnvironments, type TeamConnectionView, type TeamSummary } from '../../api/teams'
import { ErrorNotice } from '../../components/ErrorNotice'
import styles from './Teams.module.css'

/**
 * The team's matrix: where each team connection may be used, as signed changes say. Admins allow
 * or deny an environment per connection (each a signed change); members see it read-only. Team
 * environments are matched by name, so this vault's own environments are columns too.
 */
export function TeamMatrix({
  team,
  connections,
  admin,
}: {
  team: TeamSummary
  connections: readonly TeamConnectionView[]
  admin: boolean
}) {
  const set = useSetTeamEnvironments()
  const local = useEnvironments()
  // Your own environments too: a column the team allows nothing in still says so.
  const offered = (local.data ?? []).map((e) => e.slug.toLowerCase())
  const columns = [...new Set([...connections.flatMap((c) => c.environments), ...offered])].sort()
  const pending = set.isPending ? set.variables : undefined
  return (
    <section aria-labelledby="team-matrix-title" className={styles.matrix}>
      <h3 id="team-matrix-title" className={styles.subTitle}>
        Where they may be used
      </h3>
      <p className={styles.explain}>
        {admin
          ? 'Each box you change is a signed change: every member’s client refuses a use in an environment not allowed here.'
          : 'Set by the team’s admins, by signed changes: your client refuses a use in an environment not allowed here.'}
      </p>
      {set.isError && <ErrorNotice error={set.error} title="The team’s matrix was not changed" />}
      {columns.length === 0 ? (
        <p className={styles.explain}>No environment yet.</p>
      ) : (
        <div className={styles.matrixScroll}>
          <table
            className={styles.matrixTable}
            aria-label={`Environments of ${team.name}’s connections`}
          >
            <thead>
              <tr>
                <th scope="col">Connection</th>
                {columns.map((env) => (
                  <th key={env} scope="col">
                    {env}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {connections.map((c) => (
                <tr key={c.id} data-testid="team-matrix-row">
                  <th scope="row">{c.name}</th>
                  {columns.map((env) => {
                    const allowed = c.environments.includes(env)
                    return (
                      <td key={env}>
                        {admin ? (
                          <input
                            type="checkbox"
                            aria-label={`Allow ${c.name} in ${env}`}
                            checked={allowed}
                            disabled={pending?.name === c.name}
                            onChange={(event) =>
                              set.mutate({
                                team: team.name,
                                name: c.name,
                                ...(event.target.checked ? { allow: [env] } : { deny: [env] }),
                              })
                            }
                          />
                        ) : allowed ? (
                          <span aria-label={`${c.name}: allowed in ${env}`} role="img">
                            <Check aria-hidden="true" />
                          </span>
                        ) : (
                          <span aria-label={`${c.name}: not allowed in ${env}`} role="img">
                            <Minus aria-hidden="true" />
                          </span>
                        )}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
