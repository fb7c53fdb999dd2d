import { useState } from 'react'
import type { z } from 'zod'
import type { ssoAccountSchema } from '../../../../shared/aws-sso'
import { useEnvironments } from '../../../api/environments'
import styles from './SsoSignIn.module.css'

type Account = z.infer<typeof ssoAccountSchema>
export interface SsoPick {
  accountId: string
  accountName: string
  roleName: string
}

interface Props {
  accounts: readonly Account[]
  /** The environments ticked under the form's "Use it in": the new connections' too. */
  environmentIds: ReadonlySet<string>
  creating: boolean
  /** The ticked pairs, and the environments to authorize them for (in the same transaction). */
  onCreate: (picks: SsoPick[], environments: { id: string; name: string }[]) => void
}

const keyOf = (accountId: string, role: string) => `${accountId}/${role}`

/**
 * Accounts × permission sets with a checkbox each; every ticked pair becomes a connection,
 * authorized for the environments ticked under the form's "Use it in" (one choice of environments
 * on the page, as for a connection typed by hand; `aws sso add --env` in the CLI). The line by the
 * button says which they are.
 */
export function SsoAssignments({ accounts, environmentIds, creating, onCreate }: Props) {
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set())
  const environments = (useEnvironments().data ?? [])
    .filter((env) => environmentIds.has(env.id))
    .map(({ id, name }) => ({ id, name }))
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
      <div className={styles.createRow}>
        <p className={styles.help} id="sso-environments-help">
          {environments.length === 0
            ? 'No environment is ticked under “Use it in” below: the new connections can be used once you authorize them there or in the matrix.'
            : `Usable in ${environments.map((env) => env.name).join(', ')}, as ticked under “Use it in” below.`}
        </p>
        <button
          type="button"
          className="button primary"
          aria-describedby="sso-environments-help"
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
              environments,
            )
          }
        >
          {creating
            ? 'Creating…'
            : `Create ${ticked.size === 1 ? '1 connection' : `${ticked.size} connections`}`}
        </button>
      </div>
    </div>
  )
}
