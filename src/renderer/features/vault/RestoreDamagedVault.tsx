import { ArchiveRestore } from 'lucide-react'
import { useState } from 'react'
import { isBridgekeepError } from '../../../shared/errors'
import { RestoreBackupDialog } from './RestoreBackupDialog'

/**
 * A vault file too damaged to open says to restore it from a backup: this offers exactly that,
 * over the damaged vault. Once the restored vault opens, the gate shows the app.
 */
export function RestoreDamagedVault({ error }: { error: unknown }) {
  const [open, setOpen] = useState(false)
  if (!isBridgekeepError(error) || error.code !== 'DATABASE_CORRUPT') return null
  return (
    <>
      <button type="button" className="button primary" onClick={() => setOpen(true)}>
        <ArchiveRestore aria-hidden="true" />
        Restore from a backup…
      </button>
      <RestoreBackupDialog open={open} onOpenChange={setOpen} vaultExists />
    </>
  )
}
