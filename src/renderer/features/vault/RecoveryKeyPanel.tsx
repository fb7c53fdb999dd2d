import { Check, Copy, Download, Printer } from 'lucide-react'
import { Fragment, useEffect, useId, useState } from 'react'
import { useVaultStatus } from '../../api/vault'
import { copyText } from '../../lib/copyText'
import { downloadText } from '../../lib/downloadText'
import { printRecoveryKit, removeRecoveryKitPrintView } from './printRecoveryKit'
import { recoveryKitFilename, recoveryKitHtml, type RecoveryKit } from './recoveryKit'
import { recoveryKeyLines } from './recoveryKeyGroups'
import styles from './RecoveryKeyPanel.module.css'

interface Props {
  recoveryKey: string
  /** What the key replaces here, e.g. "Your previous recovery key no longer works." */
  note?: string
  continueLabel?: string
  onDone: () => void
}

/**
 * The recovery key, shown once: big, grouped, copyable, savable and printable as a recovery kit,
 * and a checkbox the user must tick before
 * going on, because after this screen nobody — not Bridgekeep either — can show it again.
 */
export function RecoveryKeyPanel({ recoveryKey, note, continueLabel = 'Continue', onDone }: Props) {
  const [saved, setSaved] = useState(false)
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no')
  const checkboxId = useId()
  const [issuedAt] = useState(() => new Date())
  useEffect(() => removeRecoveryKitPrintView, [])
  const status = useVaultStatus().data
  const kit: RecoveryKit = {
    recoveryKey,
    vaultId: status?.vaultId ?? 'unknown',
    ...(status?.createdAt ? { vaultCreatedAt: status.createdAt } : {}),
    issuedAt,
  }

  const copy = async () => {
    try {
      await copyText(recoveryKey)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }

  return (
    <div className={styles.panel}>
      <p className={styles.explain}>
        This key opens your vault if the key in your system keychain is lost (a new computer
        account, a reset keychain) or if you forget your passphrase.{' '}
        <strong>This is the only time it is shown.</strong> Keep it in a password manager or on
        paper, away from this computer.
      </p>
      {note && <p className={styles.explain}>{note}</p>}
      <div className={styles.key} role="group" aria-label="Recovery key" data-testid="recovery-key">
        {/* Two even lines; real spaces between groups, so a hand-selected key copies readably. */}
        {recoveryKeyLines(recoveryKey).map((line, row) => (
          <span key={row} className={styles.line}>
            {line.map((group, index) => (
              <Fragment key={index}>
                {index > 0 && ' '}
                <span className={styles.group}>{group}</span>
              </Fragment>
            ))}
          </span>
        ))}
      </div>
      <div className={styles.copyRow}>
        <button type="button" className="button" onClick={() => void copy()}>
          {copied === 'yes' ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
          {copied === 'yes' ? 'Copied' : 'Copy recovery key'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => downloadText(recoveryKitFilename(kit), 'text/html', recoveryKitHtml(kit))}
        >
          <Download aria-hidden="true" />
          Save recovery kit
        </button>
        <button type="button" className="button" onClick={() => printRecoveryKit(kit)}>
          <Printer aria-hidden="true" />
          Print
        </button>
        <span role="status" className={styles.copyStatus}>
          {copied === 'yes' &&
            'Copied. Paste it into your password manager, then copy something else over it.'}
          {copied === 'failed' && 'The clipboard is not available: write the key down instead.'}
        </span>
      </div>
      <div className={styles.confirm}>
        <input
          id={checkboxId}
          type="checkbox"
          checked={saved}
          onChange={(event) => setSaved(event.target.checked)}
        />
        <label htmlFor={checkboxId}>I have saved my recovery key</label>
      </div>
      <button type="button" className="button primary" disabled={!saved} onClick={onDone}>
        {continueLabel}
      </button>
    </div>
  )
}
