import { z } from 'zod'
import {
  applyChangesSchema,
  authorizationsForSchema,
  changeResultSchema,
  connectionAuthorizationsSchema,
  connectionUsageSchema,
  deleteEnvironmentResultSchema,
  deleteEnvironmentSchema,
  environmentDefaultSchema,
  environmentInputSchema,
  environmentSchema,
  environmentsChangedSchema,
  environmentUpdateSchema,
  matrixSchema,
  reorderSchema,
  resolvedSchema,
  resolveSchema,
  setAuthorizationsSchema,
  setDefaultResultSchema,
  setDefaultSchema,
  setProtectedSchema,
  undoResultSchema,
  undoSchema,
  usageForSchema,
} from '../../environments'
import { channel } from '../define'

export const environmentsChannels = {
  /** Environments in column order, each with its count of authorized live connections. */
  list: channel(z.undefined(), z.array(environmentSchema)),
  create: channel(environmentInputSchema, environmentSchema),
  /** Rename, recolour, describe (one audit entry per aspect changed). */
  update: channel(environmentUpdateSchema, environmentSchema),
  setProtected: channel(setProtectedSchema, environmentSchema),
  /** The new column order: every environment id, once. */
  reorder: channel(reorderSchema, z.array(environmentSchema)),
  delete: channel(deleteEnvironmentSchema, deleteEnvironmentResultSchema),
  /** The whole authorization matrix, compact (see `matrixSchema`). */
  matrix: channel(z.undefined(), matrixSchema),
  /** Grants and revokes in one transaction; CONFIRMATION_REQUIRED if a protected one is touched. */
  applyChanges: channel(applyChangesSchema, changeResultSchema),
  /** Reverses the last change set not yet undone; NOT_FOUND when there is none. */
  undoLastChange: channel(undoSchema, undoResultSchema),
  /** The details page: which environments one connection is authorized for. */
  authorizationsFor: channel(authorizationsForSchema, connectionAuthorizationsSchema),
  /** The details page: the full set for one connection (applied as one change set, undoable). */
  setAuthorizations: channel(setAuthorizationsSchema, changeResultSchema),
  setDefault: channel(setDefaultSchema, setDefaultResultSchema),
  /** Every default connection, per environment and provider (the details page's "Default"). */
  defaults: channel(z.undefined(), z.array(environmentDefaultSchema)),
  /** Which connection would be used (no usage is recorded). */
  resolve: channel(resolveSchema, resolvedSchema),
  /** A connection's usage: last used, counts by environment and operation. */
  usage: channel(usageForSchema, connectionUsageSchema),
}

export const environmentsEvents = {
  /** After any change to environments, the matrix or defaults, by any window. */
  changed: environmentsChangedSchema,
}
