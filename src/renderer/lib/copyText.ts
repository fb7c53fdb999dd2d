/**
 * Copies text the user asked to copy (a recovery key shown once). Stored secrets are never
 * copied here: main copies those and clears the clipboard again (connections.copy).
 * Falls back to a selected off-screen text area where the async clipboard is refused.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    return
  } catch {
    // Permission refused (the shell denies web permissions): try the selection route.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'visually-hidden'
  document.body.append(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  if (!copied) throw new Error('The clipboard refused the text.')
}
