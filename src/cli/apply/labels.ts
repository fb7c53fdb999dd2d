import { connectionLabelsSchema } from '../../shared/connections'
import type { DocPath } from './document'

/*
 * Connection labels are a list of short texts; a document's `metadata.labels` is written either
 * as Kubernetes writes labels, a map (`team: payments` is the label "team=payments", `urgent: ""`
 * the label "urgent"), or as the list itself (`[team=payments, urgent]`). `get` prints the map
 * whenever it says exactly the same (no two labels share a key), else the list.
 */

type Add = (path: DocPath, message: string) => void

export function labelsFromDocument(raw: unknown, add: Add): string[] {
  const path = ['metadata', 'labels']
  if (raw === undefined || raw === null) return []
  let labels: string[]
  if (Array.isArray(raw)) {
    const bad = raw.findIndex((item) => typeof item !== 'string')
    if (bad >= 0) {
      add([...path, bad], 'must be text.')
      return []
    }
    labels = raw as string[]
  } else if (typeof raw === 'object') {
    labels = []
    for (const [key, value] of Object.entries(raw)) {
      if (value === null || value === '') labels.push(key)
      else if (['string', 'number', 'boolean'].includes(typeof value))
        labels.push(`${key}=${String(value)}`)
      else add([...path, key], 'must be text: a label is key: value.')
    }
  } else {
    add(path, 'must map keys to values (team: payments), or list labels.')
    return []
  }
  const result = connectionLabelsSchema.safeParse(labels)
  if (result.success) return result.data
  for (const issue of result.error.issues) add(path, issue.message)
  return []
}

/** The labels as a document writes them: a map when it says the same, else the list. */
export function labelsToDocument(labels: readonly string[]): Record<string, string> | string[] {
  const pairs = labels.map((label) => {
    const equals = label.indexOf('=')
    return equals < 0 ? [label, ''] : [label.slice(0, equals), label.slice(equals + 1)]
  })
  const keys = new Set(pairs.map(([key]) => key))
  // "team=" would come back as "team", and an empty key is no key: those stay a list.
  const mapped =
    keys.size === pairs.length &&
    pairs.every(([key]) => key !== '') &&
    labels.every((label) => !label.endsWith('='))
  return mapped ? Object.fromEntries(pairs) : [...labels]
}
