import type { ConnectionDocument, DocPath } from './document'

/** Where a problem is: a document (by position, and name when it has one) and path, or stdin. */
export type IssuePlace = { doc: number; name?: string; path: DocPath } | { stdin: string }

export interface PlanIssue {
  place: IssuePlace
  message: string
}

/** A problem at `path` of `document`. */
export function issueAt(document: ConnectionDocument, path: DocPath, message: string): PlanIssue {
  return { place: { doc: document.doc, name: document.name, path }, message }
}
