import { Document, isMap, isPair, isScalar, type YAMLMap } from 'yaml'
import type { ConnectionDetail } from '../../shared/connections'
import { parseReferenceText } from '../../shared/secret-reference'
import { API_VERSION, KIND } from './document'
import { labelsToDocument } from './labels'

/*
 * A connection as the document `apply -f` takes (`bridgekeep get -o yaml|json`): non-secret fields
 * as `value`, references as `valueFrom`, and a secret whose value the vault holds as
 * `{ stored: true }`: never the value. Applying it to the same vault keeps the value (unchanged);
 * applying it to a vault that holds no such value is refused, so a copy never goes out empty.
 */

type FieldEntry = { value: string } | { valueFrom: unknown } | { stored: true }

export function connectionDocument(
  detail: ConnectionDetail,
  environments: readonly { slug: string }[],
): Record<string, unknown> {
  const fields: Record<string, FieldEntry> = {}
  for (const [key, value] of Object.entries(detail.config)) fields[key] = { value }
  for (const secret of detail.secrets)
    fields[secret.field] =
      secret.reference === undefined
        ? { stored: true }
        : { valueFrom: parseReferenceText(secret.reference) }
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: {
      name: detail.slug,
      ...(detail.name === detail.slug ? {} : { displayName: detail.name }),
      ...(detail.labels.length > 0 ? { labels: labelsToDocument(detail.labels) } : {}),
    },
    spec: {
      type: detail.provider,
      authMode: detail.authMode,
      fields,
      environments: environments.map((env) => env.slug),
      ...(detail.notes ? { notes: detail.notes } : {}),
      ...(detail.shortLivedOnly ? { shortLivedOnly: true } : {}),
    },
  }
}

/**
 * Documents as one YAML stream: each field on one line (`host: { value: db.internal }`) unless
 * its value spans lines (a certificate), and a comment where the vault keeps a secret's value.
 */
export function documentsYaml(documents: readonly Record<string, unknown>[]): string {
  return documents
    .map((content) => {
      const doc = new Document(content)
      const fields = doc.getIn(['spec', 'fields'], true)
      if (isMap(fields)) compactFields(fields)
      return doc.toString({ lineWidth: 0 })
    })
    .join('---\n')
}

function compactFields(fields: YAMLMap): void {
  const stored: string[] = []
  for (const pair of fields.items) {
    if (!isPair(pair) || !isMap(pair.value)) continue
    const value = pair.value.get('value', true)
    if (!(isScalar(value) && String(value.value).includes('\n'))) pair.value.flow = true
    if (pair.value.has('stored') && isScalar(pair.key)) stored.push(String(pair.key.value))
  }
  if (stored.length > 0)
    fields.commentBefore = ` stored: true — the vault holds the value of ${stored.join(', ')} (never printed); apply keeps it. To change it: valueFrom, or --secrets-from-stdin.`
}
