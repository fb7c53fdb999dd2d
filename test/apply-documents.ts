import { randomBytes } from 'node:crypto'
import { stringify } from 'yaml'

/*
 * Malformed `bridgekeep apply -f` input for src/cli/apply-malformed.test.ts: two valid documents
 * (`edited` changes one of them), and the table the variants files fill.
 */

/** Planted where a secret could be quoted back: no output may ever contain it. */
export const CANARY = `CANARY${randomBytes(12).toString('hex')}`

export type Doc = Record<string, unknown>
export const postgres = (): Doc => ({
  apiVersion: 'bridgekeep.dev/v1',
  kind: 'Connection',
  metadata: { name: 'prod-db', labels: { team: 'payments' } },
  spec: {
    type: 'postgres',
    fields: {
      host: { value: 'db.internal' },
      database: { value: 'app' },
      user: { value: 'app' },
      password: { valueFrom: { env: { name: 'PROD_DB_PASSWORD' } } },
    },
    environments: ['development'],
  },
})
export const github = (): Doc => ({
  apiVersion: 'bridgekeep.dev/v1',
  kind: 'Connection',
  metadata: { name: 'ci-gh' },
  spec: { type: 'github', fields: { token: { valueFrom: { file: { path: '~/.gh-token' } } } } },
})

/** The two documents as one stream, the first (or `which`) changed by `change`. */
export function edited(change: (doc: Doc) => void, which: 0 | 1 = 0): string {
  const docs = [postgres(), github()]
  change(docs[which]!)
  return docs.map((doc) => stringify(doc)).join('---\n')
}
export const spec = (doc: Doc) => doc.spec as Doc
export const fields = (doc: Doc) => spec(doc).fields as Doc
export const metadata = (doc: Doc) => doc.metadata as Doc

export interface Variant {
  name: string
  text: string
  /** Every one must appear in stderr. */
  expected: string[]
  /** Given on stdin with --secrets-from-stdin. */
  secrets?: string
  code?: number
}

/** A table of variants and the way to add one: its text, and what stderr must say. */
export function variantTable() {
  const variants: Variant[] = []
  const add = (name: string, text: string, ...expected: string[]) =>
    variants.push({ name, text, expected })
  return { variants, add }
}

/** "doc 1 (prod-db): <where>: ", how a problem of the first document begins. */
export const at = (where: string) => `doc 1 (prod-db): ${where}: `
