import { useEffect } from 'react'
import { useNavigate } from 'react-router'
import { api } from '../api/client'

/**
 * A .bkshare file the desktop opened (double-clicked, or Open Share File… in the menu) goes to the
 * Sharing page's import preview. Taken once when the window starts (the file may have started the
 * app) and whenever main says another was opened.
 */
export function useOpenedShareFiles(): void {
  const navigate = useNavigate()
  useEffect(() => {
    const take = () => {
      api.sharing
        .takeOpenedFile()
        .then((opened) => {
          if (opened) void navigate('/sharing', { state: { openedShare: opened } })
        })
        .catch(() => undefined) // nothing to show: the next file tries again
    }
    take()
    return api.sharing.onFileOpened(take)
  }, [navigate])
}
