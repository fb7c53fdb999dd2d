import type { Services } from '../../main/services'
import type { ConnectionWrite } from '../../main/services/connections/apply-connections'
import type { ConnectionDetail, ConnectionSummary } from '../../shared/connections'
import type { Environment } from '../../shared/environments'
import { describeReference } from '../../shared/secret-reference'
import { diffConnection, type Change } from './changes'
import type { ConnectionDocument, DocPath } from './document'
import { requiredSecrets, type CheckedDocument } from './field-rules'
import { issueAt, type PlanIssue } from './issues'

/** What apply does with one document. */
export interface PlannedConnection {
  document: ConnectionDocument
  action: 'create' | 'update' | 'unchanged'
  changes: Change[]
  /** Environments granted or revoked that are protected (they need --yes). */
  protectedTouched: string[]
  write?: ConnectionWrite
}

/**
 * Compares each document with the vault: the connection it creates or updates (by slug), the
 * field values after the catalog's defaults and normalization, the secrets and references, the
 * environments. Nothing is written here; every problem of every document is returned.
 */
export function planApply(
  services: Services,
  documents: readonly CheckedDocument[],
): { planned: PlannedConnection[]; issues: PlanIssue[] } {
  const issues: PlanIssue[] = []
  const live = new Map(services.connections.list().map((each) => [each.slug, each]))
  const trashed = new Map(services.connections.list({ trash: true }).map((c) => [c.slug, c]))
  const environments = services.environments.list()
  const planned: PlannedConnection[] = []
  for (const checked of documents) {
    const { document } = checked
    const at = (path: DocPath, message: string) => issues.push(issueAt(document, path, message))
    const before = issues.length
    const summary = existing(document, live, trashed, at)
    const detail = summary ? services.connections.get(summary.id) : undefined
    for (const { path, message } of requiredSecrets(
      document,
      checked.values,
      checked.given,
      detail,
    ))
      at(path, message)
    const envs = document.environments.flatMap((ref, index) => {
      const env = findEnvironment(environments, ref)
      if (env) return [env]
      at(
        ['spec', 'environments', index],
        `no environment "${ref}" in this vault: bridgekeep env ls lists them (env add creates one).`,
      )
      return []
    })
    if (issues.length > before) continue
    planned.push(
      plan(services, document, { config: checked.config, secrets: checked.secrets, envs }, detail),
    )
  }
  return { planned, issues }
}

function existing(
  document: ConnectionDocument,
  live: ReadonlyMap<string, ConnectionSummary>,
  trashed: ReadonlyMap<string, ConnectionSummary>,
  at: (path: DocPath, message: string) => void,
): ConnectionSummary | undefined {
  const found = live.get(document.name)
  if (found && found.provider !== document.provider.id)
    at(
      ['spec', 'type'],
      `${document.name} is a ${found.provider} connection, and a connection's type does not change: give this one another name, or remove that one first (bridgekeep rm ${document.name}).`,
    )
  if (!found && trashed.has(document.name))
    at(
      ['metadata', 'name'],
      `a connection in the trash has the slug ${document.name}: restore it (bridgekeep restore ${document.name}) or choose another name.`,
    )
  return found
}

function findEnvironment(
  environments: readonly Environment[],
  ref: string,
): Environment | undefined {
  const wanted = ref.trim().toLowerCase()
  return (
    environments.find((env) => env.slug === wanted) ??
    environments.find((env) => env.name.toLowerCase() === wanted)
  )
}

interface Desired {
  /** Normalized non-secret values, defaults included. */
  config: Record<string, string>
  /** Normalized secret values given on stdin. */
  secrets: Record<string, string>
  envs: Environment[]
}

function plan(
  services: Services,
  document: ConnectionDocument,
  desired: Desired,
  detail: ConnectionDetail | undefined,
): PlannedConnection {
  const label = `doc ${document.doc} (${document.name})`
  const references = document.references
  if (!detail) {
    return {
      document,
      action: 'create',
      changes: diffConnection(document, desired, undefined),
      protectedTouched: desired.envs.filter((env) => env.protected).map((env) => env.name),
      write: {
        label,
        create: {
          name: document.displayName,
          slug: document.name,
          provider: document.provider.id,
          authMode: document.authMode,
          values: { ...desired.config, ...desired.secrets },
          ...(Object.keys(references).length > 0 ? { references } : {}),
          labels: document.labels,
          notes: document.notes,
          ...(document.shortLivedOnly ? { shortLivedOnly: true } : {}),
          environmentIds: desired.envs.map((env) => env.id),
        },
      },
    }
  }
  const authorized = new Set(services.authorizations.authorizationsFor(detail.id).environmentIds)
  const wanted = new Set(desired.envs.map((env) => env.id))
  const byId = new Map(services.environments.list().map((env) => [env.id, env]))
  const grants = [...wanted].filter((id) => !authorized.has(id))
  const revokes = [...authorized].filter((id) => !wanted.has(id))
  const differing =
    Object.keys(desired.secrets).length > 0
      ? services.connections.differingSecrets(detail.id, desired.secrets)
      : []
  const changes = diffConnection(document, desired, {
    detail,
    differingSecrets: differing,
    granted: grants.map((id) => byId.get(id)!),
    revoked: revokes.map((id) => byId.get(id)!),
  })
  const touchesConnection = changes.some((change) => !change.path.startsWith('spec.environments'))
  const clears = Object.keys(detail.config).filter((key) => !(key in desired.config))
  const currentRefs = new Map(
    detail.secrets.flatMap((secret) =>
      secret.reference === undefined ? [] : [[secret.field, secret.reference] as const],
    ),
  )
  const changedRefs = Object.fromEntries(
    Object.entries(references).filter(
      ([field, ref]) => currentRefs.get(field) !== describeReference(ref),
    ),
  )
  return {
    document,
    action: changes.length > 0 ? 'update' : 'unchanged',
    changes,
    protectedTouched: [...grants, ...revokes]
      .map((id) => byId.get(id)!)
      .filter((env) => env.protected)
      .map((env) => env.name),
    ...(changes.length === 0
      ? {}
      : {
          write: {
            label,
            update: {
              id: detail.id,
              ...(touchesConnection
                ? {
                    patch: {
                      id: detail.id,
                      name: document.displayName,
                      authMode: document.authMode,
                      values: {
                        ...Object.fromEntries(clears.map((key) => [key, ''])),
                        ...desired.config,
                        ...Object.fromEntries(differing.map((key) => [key, desired.secrets[key]!])),
                      },
                      ...(Object.keys(changedRefs).length > 0 ? { references: changedRefs } : {}),
                      labels: document.labels,
                      notes: document.notes,
                      shortLivedOnly: document.shortLivedOnly,
                    },
                  }
                : {}),
              grants,
              revokes,
            },
          },
        }),
  }
}
