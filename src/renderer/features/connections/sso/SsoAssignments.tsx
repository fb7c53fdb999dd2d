import { useState } from 'react'
import type { z } from 'zod'
import type { ssoAccountSchema } from '../../../../shared/aws-sso'
import { useEnvironments } from '../../../api/environments'
import { EnvironmentChecks, suggestedEnvironment } from '../form/EnvironmentChecks'
import styles from './SsoSignIn.module.css'

type Account = z.infer<typeof ssoAccountSchema>
export interface SsoPick {
  accountId: string
  accountName: string
  roleName: string
}

interface Props {
  accounts: readonly Account[]
  creating: boolean
  /** The ticked pairs, and the environments to authorize them for (in the same transaction). */
  onCreate: (picks: SsoPick[], environments: { id: string; name: string }[]) => void
}

const keyOf = (accountId: string, role: string) => `${accountId}/${role}`

/**
 * Accounts × permission sets with a checkbox each; every ticked pair becomes a connection,
 * authorized for the environments chosen below the table (as `aws sso add --env` does). Until the
 * user changes that choice it is the suggested environment (the first unprotected one), so the
 * new connections are usable right away and nothing protected is touched without asking.
 */
export function SsoAssignments({ accounts, creating, onCreate }: Props) {
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set())
  const environments = useEnvironments()
  const [chosen, setChosen] = useState<ReadonlySet<string> | null>(null)
  const suggested = suggestedEnvironment(environments.data)
  const environmentIds = chosen ?? new Set(suggested ? [suggested.id] : [])
  const rows = accounts.flatMap((account) => account.roles.map((role) => ({ account, role })))
  const toggle = (key: string) =>
    setTicked((previous) => {
      const next = new Set(previous)
      if (next.has(key)) next.delete(key)
      else next.add(key)
      return next
    })
  if (rows.length === 0)
    return <p>No account or permission set is assigned to you in this IAM Identity Center.</p>
  return (
    <div>
      <table className={styles.table} aria-label="Accounts and permission sets">
        <thead>
          <tr>
            <th scope="col">Use</th>
            <th scope="col">Account</th>
            <th scope="col">Permission set</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ account, role }) => {
            const key = keyOf(account.accountId, role)
            return (
              <tr key={key}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${account.accountName} ${role}`}
                    checked={ticked.has(key)}
                    onChange={() => toggle(key)}
                  />
                </td>
                <td>
                  {account.accountName} <span className="mono">{account.accountId}</span>
                </td>
                <td>{role}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <h4 className={styles.subtitle}>Authorize them for</h4>
      <p className={styles.help} id="sso-environments-help">
        The environments where tools, the CLI and the runner may use the new connections. You can
        change this later in the matrix.
      </p>
      <EnvironmentChecks
        selected={environmentIds}
        onChange={setChosen}
        legend="Environments for the new connections"
        describedBy="sso-environments-help"
      />
      <button
        type="button"
        className="button primary"
        disabled={ticked.size === 0 || creating}
        onClick={() =>
          onCreate(
            rows
              .filter(({ account, role }) => ticked.has(keyOf(account.accountId, role)))
              .map(({ account, role }) => ({
                accountId: account.accountId,
                accountName: account.accountName,
                roleName: role,
              })),
            (environments.data ?? [])
              .filter((env) => environmentIds.has(env.id))
              .map(({ id, name }) => ({ id, name })),
          )
        }
      >
        {creating
          ? 'Creating…'
          : `Create ${ticked.size === 1 ? '1 connection' : `${ticked.size} connections`}`}
      </button>
    </div>
  )
}
