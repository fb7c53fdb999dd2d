import type { ConnectionDetail } from '../../../api/connections'
import { columnHelper, DataTable } from '../../../components/DataTable'
import { formatDateTime } from '../format'
import styles from './ConnectionDetailsPage.module.css'

type SecretVersion = ConnectionDetail['versions'][number] & { current: boolean }
const versionHelper = columnHelper<SecretVersion>()

const versionColumns = versionHelper.columns([
  versionHelper.display({
    id: 'version',
    header: 'Version',
    cell: ({ row }) => (
      <>
        {row.original.version}
        {row.original.current && <span className={styles.current}>current</span>}
      </>
    ),
  }),
  versionHelper.display({
    id: 'written',
    header: 'Written',
    cell: ({ row }) => (
      <time dateTime={row.original.createdAt}>{formatDateTime(row.original.createdAt)}</time>
    ),
  }),
])

/** Every version of the connection's secrets, newest first, the one in use marked. */
export function SecretVersions({ detail }: { detail: ConnectionDetail }) {
  if (detail.versions.length === 0) return null
  const versions = [...detail.versions]
    .sort((a, b) => b.version - a.version)
    .map((version) => ({ ...version, current: version.version === detail.secretVersion }))
  return (
    <section className={styles.panel} aria-labelledby="versions-title">
      <h2 id="versions-title" className={styles.panelTitle}>
        Secret versions
      </h2>
      <p className={styles.panelIntro}>
        Every change of a secret writes a new version. Operations that started before a change keep
        the version they began with.
      </p>
      <DataTable
        columns={versionColumns}
        data={versions}
        getRowId={(version) => String(version.version)}
        label="Secret versions"
        fit
      />
    </section>
  )
}
