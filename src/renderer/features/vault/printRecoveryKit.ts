import { recoveryKitCss, recoveryKitMarkup, type RecoveryKit } from './recoveryKit'

const PRINT_VIEW_ID = 'recovery-kit-print'

/**
 * While printing, only the kit shows: the app's own elements (the gate, the dialog and what is
 * behind it) are hidden, on paper the kit alone. On screen the kit is never visible.
 */
const printOnlyCss = `
#${PRINT_VIEW_ID} { display: none; }
@media print {
  body > :not(#${PRINT_VIEW_ID}) { display: none !important; }
  #${PRINT_VIEW_ID} { display: block; }
  html, body, #root { height: auto; background: #fff; }
}
`

let sheet: CSSStyleSheet | undefined

/**
 * The kit's styles for this document. A constructed stylesheet, because the app's
 * Content-Security-Policy forbids inline <style> (and iframes): the same CSS as the downloaded kit.
 */
function adoptKitStyles(): void {
  if (sheet) return
  sheet = new CSSStyleSheet()
  sheet.replaceSync(recoveryKitCss + printOnlyCss)
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
}

/**
 * Opens the browser's print dialog for the kit: the same markup as the downloaded file, in a
 * print-only element that is removed again once printing is over. Nothing is written to disk
 * unless the user prints to a file.
 */
export function printRecoveryKit(kit: RecoveryKit): void {
  adoptKitStyles()
  removeRecoveryKitPrintView()
  const view = document.createElement('div')
  view.id = PRINT_VIEW_ID
  // The markup escapes every piece of text it holds (recoveryKit.ts); parsed, never run.
  const parsed = new DOMParser().parseFromString(recoveryKitMarkup(kit), 'text/html')
  view.append(...Array.from(parsed.body.childNodes))
  document.body.append(view)
  window.addEventListener('afterprint', () => view.remove(), { once: true })
  window.print()
}

/** Takes the kit out of the document: the key leaves the page with the panel that showed it. */
export function removeRecoveryKitPrintView(): void {
  document.getElementById(PRINT_VIEW_ID)?.remove()
}
