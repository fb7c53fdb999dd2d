import { BridgekeepError } from '../../../shared/errors'
import { borrowingOf } from '../../../shared/providers/borrowing'
import { getProvider } from '../../../shared/providers/catalog'
import type { PreviewConnection } from '../../../shared/sharing'
import type { ConnectionsService } from '../connections/connections-service'
import type { HeldCopy } from './share-import-held'
import type { SharedConnection } from './payload'
import type { SharingRepository } from './sharing-repository'

/**
 * A shared connection that borrows another's credentials by slug (ECR's or the S3 state
 * backend's `aws_connection`, the GCS state backend's `gcp_connection`) names a connection of the
 * SENDER's vault. Kept as it is, that slug would pick whichever of the recipient's connections
 * has it: one the sender chose for them, their most privileged perhaps, for their docker pushes
 * and Terraform runs. So the recipient names the connection it uses when importing (the choice's
 * `borrow`), a re-sent version keeps the one they chose, and the sender's slug is never used.
 * Where those credentials may be sent is checked at each use (received-destinations.ts).
 */

/** The borrowed connection's provider as people say it ("AWS" rather than its full name). */
const SHORT: Readonly<Record<string, string>> = { aws: 'AWS', gcp: 'Google Cloud' }
const label = (provider: string) => SHORT[provider] ?? getProvider(provider)?.label ?? provider

/** What the preview says about a shared connection's borrowing. */
export function borrowsOf(
  connection: SharedConnection,
  copy: HeldCopy | undefined,
  connections: ConnectionsService,
): PreviewConnection['borrows'] {
  const borrowing = borrowingOf(connection.provider)
  if (!borrowing) return null
  return {
    provider: borrowing.provider,
    named: connection.config[borrowing.field] ?? null,
    kept: copy ? (keptChoice(copy, borrowing.field, connections) ?? null) : null,
  }
}

/**
 * The settings to import: the shared ones with the borrowing field set to the recipient's choice
 * (or, for a re-sent version, the one they chose before). Refused, naming what to do, when the
 * sender's copy borrows and no connection of this vault was chosen, or the choice is not one.
 */
export function withBorrowChosen(
  connection: SharedConnection,
  chosen: string | undefined,
  context: {
    copy: HeldCopy | undefined
    sender: string
    repo: SharingRepository
    connections: ConnectionsService
  },
): Record<string, string> {
  const borrowing = borrowingOf(connection.provider)
  if (!borrowing) {
    if (chosen !== undefined)
      throw new BridgekeepError(
        'VALIDATION',
        `"${connection.name}" does not borrow another connection's credentials, so it takes no connection to borrow.`,
        `Leave out the borrow choice for ${connection.slug}.`,
      )
    return connection.config
  }
  const { [borrowing.field]: named, ...rest } = connection.config
  const kept = context.copy
    ? keptChoice(context.copy, borrowing.field, context.connections)
    : undefined
  const slug = chosen ?? kept
  if (slug === undefined) {
    if (named === undefined) return rest
    throw new BridgekeepError(
      'VALIDATION',
      `"${connection.name}" uses the credentials of the ${label(borrowing.provider)} connection ${context.sender}'s copy names ${named.slice(0, 64)} (a connection of theirs). Choose which of your ${label(borrowing.provider)} connections it uses. Nothing was imported.`,
      `Choose it in the import (bridgekeep share import … --borrow ${connection.slug}=<your ${label(borrowing.provider)} connection>), or skip ${connection.slug}.`,
    )
  }
  const local = context.repo.connectionBySlug(slug)
  const problem = !local
    ? `this vault has no connection with slug ${slug}`
    : local.deleted_at !== null
      ? `${local.name} (${slug}) is in the trash`
      : local.provider !== borrowing.provider
        ? `${local.name} (${slug}) is a ${label(local.provider)} connection`
        : undefined
  if (problem)
    throw new BridgekeepError(
      'VALIDATION',
      `"${connection.name}" borrows one of your ${label(borrowing.provider)} connections, and ${problem}. Nothing was imported.`,
      `Choose one of your ${label(borrowing.provider)} connections (bridgekeep ls --provider ${borrowing.provider}), or skip ${connection.slug}.`,
    )
  return { ...rest, [borrowing.field]: slug }
}

/** The connection the copy held here borrows now: the recipient's choice (or later edit). */
function keptChoice(
  copy: HeldCopy,
  field: string,
  connections: ConnectionsService,
): string | undefined {
  return connections.get(copy.held.connection_id).config[field]
}
