import { FileDown, ScrollText, ShieldCheck, ShieldAlert } from 'lucide-react'
import { formatCount, plural } from '../../lib/plural'
import { useDeferredValue, useMemo, useState } from 'react'
import type { AuditDamageKind, AuditExportFormat, AuditVerification } from '../../../shared/audit'
import { useAuditTimeline, useExportAudit, useVerifyAudit } from '../../api/audit'
import { EmptyState } from '../../components/EmptyState'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Page } from '../../components/Page'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import {
  AuditFilters,
  emptyFilterForm,
  isFiltered,
  toAuditFilter,
  type FilterForm,
} from './AuditFilters'
import styles from './AuditPage.module.css'
import { AuditTimeline } from './AuditTimeline'
import { downloadText } from '../../lib/downloadText'

export function AuditPage() {
  const notify = useToast()
  const [form, setForm] = useState<FilterForm>(emptyFilterForm)
  const deferredForm = useDeferredValue(form)
  const filter = useMemo(() => toAuditFilter(deferredForm), [deferredForm])
  const timeline = useAuditTimeline(filter)
  const verify = useVerifyAudit()
  const exporter = useExportAudit()

  const entries = useMemo(
    () => timeline.data?.pages.flatMap((page) => page.entries) ?? [],
    [timeline.data],
  )
  const total = timeline.data?.pages[0]?.total ?? entries.length
  const filtered = isFiltered(form)

  const exportAs = async (format: AuditExportFormat) => {
    const file = await exporter.mutateAsync({ format, filter })
    downloadText(file.filename, file.mediaType, file.content)
    notify({
      tone: 'success',
      message: `Exported ${plural(file.count, 'entry', 'entries')} as ${file.filename}.`,
    })
  }

  const result = verify.data
  return (
    <Page
      title="Audit"
      description="A tamper-evident record of every change, reveal, share and use. No secret value is ever written to it."
      actions={
        <>
          <button
            type="button"
            className="button"
            disabled={exporter.isPending}
            onClick={() => void exportAs('jsonl').catch(() => undefined)}
          >
            <FileDown aria-hidden="true" /> Export JSON Lines
          </button>
          <button
            type="button"
            className="button"
            disabled={exporter.isPending}
            onClick={() => void exportAs('csv').catch(() => undefined)}
          >
            <FileDown aria-hidden="true" /> Export CSV
          </button>
          <button
            type="button"
            className="button primary"
            disabled={verify.isPending}
            onClick={() => verify.mutate()}
          >
            <ShieldCheck aria-hidden="true" />
            {verify.isPending ? 'Verifying…' : 'Verify integrity'}
          </button>
        </>
      }
    >
      {result && (
        <div
          role={result.ok ? 'status' : 'alert'}
          className={styles.verification}
          data-ok={result.ok}
          data-testid="audit-verification"
        >
          {result.ok ? <ShieldCheck aria-hidden="true" /> : <ShieldAlert aria-hidden="true" />}
          <div>
            <p className={styles.verificationTitle}>{verificationTitle(result)}</p>
            <p className={styles.verificationText}>{result.message}</p>
          </div>
        </div>
      )}
      {verify.error && <ErrorNotice error={verify.error} title="Verification could not run" />}
      {exporter.error && <ErrorNotice error={exporter.error} title="The export failed" />}

      <AuditFilters form={form} onChange={setForm} />
      {timeline.isPending ? (
        <Spinner label="Loading the audit trail…" />
      ) : timeline.isError ? (
        <ErrorNotice
          error={timeline.error}
          title="The audit trail could not be loaded"
          action={
            <button type="button" className="button" onClick={() => void timeline.refetch()}>
              Try again
            </button>
          }
        />
      ) : entries.length === 0 ? (
        filtered ? (
          <p className={styles.noMatch}>No entry matches these filters.</p>
        ) : (
          <EmptyState icon={ScrollText} title="No activity recorded yet">
            Every change, reveal, share and use of a connection will be recorded here in a
            hash-chained log that shows if anyone alters it.
          </EmptyState>
        )
      ) : (
        <>
          <p className={styles.count} role="status">
            {filtered
              ? `${formatCount(total)} matching ${total === 1 ? 'entry' : 'entries'}`
              : plural(total, 'entry', 'entries')}
            , newest first
          </p>
          <AuditTimeline
            entries={entries}
            total={total}
            hasMore={timeline.hasNextPage}
            loadingMore={timeline.isFetchingNextPage}
            loadMore={() => void timeline.fetchNextPage()}
            brokenId={result?.firstBroken?.id ?? result?.rewritten?.id ?? null}
          />
        </>
      )}
    </Page>
  )
}

const damageTitles: Record<AuditDamageKind, string> = {
  altered: 'The audit trail has been altered',
  truncated: 'The audit trail has been truncated',
  rewritten: 'The audit trail has been rewritten',
  'head-missing': 'The audit trail’s seal is missing',
  'head-forged': 'The audit trail’s seal has been forged',
}

/** The headline names the first kind of damage found; the message below names every one. */
function verificationTitle(result: AuditVerification): string {
  const [first] = result.damage
  return first ? damageTitles[first] : 'The audit trail is intact'
}
