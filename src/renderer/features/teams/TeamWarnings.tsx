import { ShieldCheck, TriangleAlert } from 'lucide-react'
import type { TeamVerificationView } from '../../api/teams'
import styles from './Teams.module.css'

/**
 * Rows of the team database this vault ignored or that do not add up, each named. The trust
 * model's point is that tampering is shown: this panel is never folded away while there are any.
 */
export function TeamWarnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null
  return (
    <section
      className={styles.warnings}
      aria-labelledby="team-warnings-title"
      data-testid="team-warnings"
    >
      <h2 id="team-warnings-title" className={styles.panelTitle}>
        <TriangleAlert aria-hidden="true" />
        {warnings.length === 1
          ? 'The team database has 1 problem'
          : `The team database has ${warnings.length} problems`}
      </h2>
      <p className={styles.explain}>
        These rows were ignored: what you see is what the signed changes say. Someone with access to
        the database may have edited it; tell the team’s founder.
      </p>
      <ul>
        {warnings.map((warning, index) => (
          <li key={index}>{warning}</li>
        ))}
      </ul>
    </section>
  )
}

/** What the last verification trusted: founder, last trusted change, members, audit entries. */
export function VerificationPanel({ report }: { report: TeamVerificationView }) {
  return (
    <section
      className={styles.panel}
      aria-labelledby="team-verification-title"
      data-testid="team-verification"
    >
      <h2 id="team-verification-title" className={styles.panelTitle}>
        Verification
      </h2>
      {report.ok && (
        <p className={styles.verified}>
          <ShieldCheck aria-hidden="true" />
          Verified: no warning. Every change is signed and follows from the founder.
        </p>
      )}
      <dl className={styles.facts}>
        <dt>Founder</dt>
        <dd className={styles.fingerprint}>{report.founder}</dd>
        <dt>Last trusted change</dt>
        <dd>#{report.lastTrustedChange}</dd>
        <dt>Members</dt>
        <dd>
          {report.members} ({report.admins} {report.admins === 1 ? 'admin' : 'admins'})
        </dd>
        <dt>Team audit entries</dt>
        <dd>{report.auditEntries}</dd>
        <dt>Result</dt>
        <dd>
          {report.ok
            ? 'verified: no warning'
            : `${report.warnings.length} ${report.warnings.length === 1 ? 'warning' : 'warnings'} (listed above)`}
        </dd>
      </dl>
    </section>
  )
}
