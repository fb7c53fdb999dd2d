import type { ExportResult, ShareSourceInput } from '../../shared/sharing'
import type { DesktopHost } from '../desktop/desktop-host'
import type { Services } from '../services'
import type { ExportedShare, ShareSource } from '../services/sharing/sharing-service'
import type { FeatureHandlers } from './handlers'

/** The page sends files as base64 and armored text as text; the service takes bytes or text. */
function sourceOf(input: ShareSourceInput): ShareSource {
  const data = input.file !== undefined ? Buffer.from(input.file, 'base64') : (input.text ?? '')
  return { data, ...(input.passphrase ? { passphrase: input.passphrase } : {}) }
}

/** A finished share as the page saves it: the file as base64 beside its armored text. */
function exportResult(share: ExportedShare): ExportResult {
  return {
    shareId: share.shareId,
    filename: share.filename,
    data: Buffer.from(share.bytes).toString('base64'),
    armored: share.armored,
    expiresAt: share.expiresAt,
    connectionCount: share.connectionCount,
  }
}

export function sharingHandlers(
  services: Services,
  desktop: DesktopHost,
): FeatureHandlers<'sharing'> {
  const { sharing } = services
  return {
    identity: () => sharing.identity(),
    setName: (input) => sharing.setName(input),
    contacts: () => sharing.contacts(),
    checkAddress: (input) => sharing.checkAddress(input),
    addContact: (input) => sharing.addContact(input),
    verifyContact: (input) => sharing.verifyContact(input),
    deleteContact: ({ id }) => {
      sharing.deleteContact(id)
      return null
    },
    takeOpenedFile: () => desktop.takeOpenedShareFile(),
    export: async (input) => exportResult(await sharing.export(input)),
    importPreview: (input) => sharing.importPreview(sourceOf(input)),
    importApply: ({ source, ...options }) =>
      sharing.importApply({ ...options, source: sourceOf(source) }),
    shares: () => sharing.shares(),
    revoke: ({ id }) => sharing.revoke(id),
    resendTargets: ({ id }) => sharing.resendTargets(id),
    resend: async ({ id }) => {
      const { shares, ...targets } = await sharing.resend(id)
      return { ...targets, shares: shares.map(exportResult) }
    },
    holdings: () => sharing.holdings(),
  }
}
