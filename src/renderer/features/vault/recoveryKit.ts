import { recoveryKeyLines } from './recoveryKeyGroups'

/** What a recovery kit says: everything is text from the vault, escaped where it is written. */
export interface RecoveryKit {
  recoveryKey: string
  vaultId: string
  /** When the vault was created (ISO 8601), when known. */
  vaultCreatedAt?: string
  /** When this key was issued and the kit made. */
  issuedAt: Date
}

const PRODUCT = 'Bridgekeep'

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!)
}

/** "6 December 2026": a date on paper must read the same wherever it is opened. */
function longDate(date: Date): string {
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

/**
 * The kit's styles, all under `.bk-kit`, so the app can adopt them for its print view without
 * touching its own screens.
 */
export const recoveryKitCss = `
.bk-kit { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #16181d;
  background: #fff; max-width: 44rem; margin: 0 auto; padding: 2rem; line-height: 1.5; }
.bk-kit h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
.bk-kit h2 { font-size: 1.05rem; margin: 1.5rem 0 0.4rem; }
.bk-kit p, .bk-kit li { margin: 0 0 0.4rem; }
.bk-kit dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 1rem 0; }
.bk-kit dt { font-weight: 600; }
.bk-kit dd { margin: 0; }
.bk-kit .bk-kit-id { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
.bk-kit .bk-kit-key { margin: 1.25rem 0; padding: 1.25rem; border: 2px dashed #6b7280;
  border-radius: 10px; text-align: center; font-family: ui-monospace, "SF Mono", Menlo, Consolas,
  monospace; font-size: 1.3rem; font-weight: 700; letter-spacing: 0.06em; line-height: 2;
  word-spacing: 0.6rem; }
.bk-kit .bk-kit-key span { white-space: nowrap; word-spacing: normal; }
.bk-kit .bk-kit-lead { color: #4b5563; }
.bk-kit .bk-kit-warning { font-weight: 600; }
`

/** The kit's content: a `.bk-kit` element (the download's body, the print view's content). */
export function recoveryKitMarkup(kit: RecoveryKit): string {
  const lines = recoveryKeyLines(kit.recoveryKey)
    .map((line) => line.map((group) => `<span>${escapeHtml(group)}</span>`).join(' '))
    .join('<br>\n')
  const issued = escapeHtml(longDate(kit.issuedAt))
  const vaultCreated = kit.vaultCreatedAt ? new Date(kit.vaultCreatedAt) : undefined
  const vaultRows = [
    `<dt>Vault ID</dt><dd class="bk-kit-id">${escapeHtml(kit.vaultId)}</dd>`,
    vaultCreated && !Number.isNaN(vaultCreated.getTime())
      ? `<dt>Vault created</dt><dd>${escapeHtml(longDate(vaultCreated))}</dd>`
      : '',
    `<dt>Kit made</dt><dd>${issued}</dd>`,
  ].join('')
  return `<div class="bk-kit">
<h1>${PRODUCT} recovery kit</h1>
<p class="bk-kit-lead">This kit was created on ${issued}. It holds the recovery key of one ${PRODUCT} vault.</p>
<dl>${vaultRows}</dl>
<h2>Recovery key</h2>
<div class="bk-kit-key">${lines}</div>
<h2>What it is for</h2>
<ul>
<li>Opening the vault when the key in your system keychain is lost (a new computer account, a reset keychain) or when you forget your passphrase: choose <em>Use recovery key</em> on the unlock screen, or pass <code>--recovery-key</code> to the <code>bridgekeep</code> command.</li>
<li>Restoring a backup of this vault on another computer.</li>
</ul>
<h2>Where to keep it</h2>
<ul>
<li>In a password manager, or printed on paper in a safe place, away from this computer.</li>
<li>Not in e-mail, chat, a shared drive or a note on the same computer: whoever holds this key and a copy of the vault can read every secret in it.</li>
</ul>
<p class="bk-kit-warning">${PRODUCT} cannot show this key again. If a newer recovery key is issued (after re-encrypting the vault), this one stops working: keep only the newest kit.</p>
</div>`
}

/** The downloadable kit: one self-contained page, no scripts, nothing loaded from anywhere. */
export function recoveryKitHtml(kit: RecoveryKit): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${PRODUCT} recovery kit</title>
<style>body { margin: 0; background: #fff; }${recoveryKitCss}</style>
</head>
<body>
${recoveryKitMarkup(kit)}
</body>
</html>
`
}

/** "bridgekeep-recovery-kit-1a2b3c4d.html": which vault, at a glance, without the whole id. */
export function recoveryKitFilename(kit: RecoveryKit): string {
  const shortId = kit.vaultId.replace(/[^0-9a-zA-Z]/g, '').slice(0, 8) || 'vault'
  return `bridgekeep-recovery-kit-${shortId}.html`
}
