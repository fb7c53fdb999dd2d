/**
 * Saves text as a file through the browser's download (a Blob URL): the renderer has no file
 * system, and the app's download handler asks where to save it.
 */
export function downloadText(filename: string, mediaType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked after the click has been handled, not before.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
