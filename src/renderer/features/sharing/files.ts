/**
 * Share files in the page, without Node: a download goes through a Blob link, and a chosen or
 * dropped file is read with the File API. Files travel to main as base64.
 */

/** The largest .bkshare the page reads (main caps base64 at 64 MiB). */
export const MAX_SHARE_FILE_BYTES = 40 * 1024 * 1024

export function downloadBase64(base64: string, filename: string): void {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started by the next tick; the URL only needs to live that long.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}
