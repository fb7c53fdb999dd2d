import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getProvider, providerIds } from '../src/shared/providers'
import { ROOT } from './run-node'

// A provider is one file per layer, named after its id, and a row in docs/architecture.md
// ("Everything about one provider"). The Record<ProviderId, ...> lists already make a missing
// piece a compile error; this keeps each piece where a reader looks for it, and the table true.

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

/** The rows of the provider table, by id: its cells after the id. */
function tableRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>()
  for (const line of read('docs/architecture.md').split('\n')) {
    const match = /^\| `([a-z0-9-]+)` +\|(.*)\|$/.exec(line)
    if (match)
      rows.set(
        match[1]!,
        match[2]!.split('|').map((cell) => cell.trim()),
      )
  }
  return rows
}

describe.each(providerIds)('provider %s', (id) => {
  const spec = getProvider(id)!

  it('has its definition in src/shared/providers/<id>.ts', () => {
    const path = `src/shared/providers/${id}.ts`
    expect(existsSync(join(ROOT, path)), path).toBe(true)
    expect(read(path)).toContain(`id: '${id}',`)
  })

  it('has its operations in src/runner/providers/<id>.ts', () => {
    const path = `src/runner/providers/${id}.ts`
    expect(existsSync(join(ROOT, path)), path).toBe(true)
    expect(read(path)).toContain(`defineOperations('${id}'`)
  })

  it('has its exec mapping in src/cli/exec/providers/<id>.ts', () => {
    const path = `src/cli/exec/providers/${id}.ts`
    expect(existsSync(join(ROOT, path)), path).toBe(true)
    expect(read(path)).toMatch(/: EnvMapper = /)
    expect(read('src/cli/exec/providers/index.ts')).toContain(`from './${id}'`)
  })

  it("has an icon: its category's", () => {
    const icons = read('src/renderer/features/connections/ProviderIcon.tsx')
    expect(icons).toMatch(new RegExp(`(^|\\s)'?${spec.category}'?: [A-Z]\\w+,`, 'm'))
  })

  it('has a true row in the table of docs/architecture.md', () => {
    const row = tableRows().get(id)
    expect(row, `no row for ${id}`).toBeDefined()
    const [category, operations] = row!
    expect(category).toBe(spec.category)
    const issues = read(`src/runner/providers/${id}.ts`).includes('issueCredentials')
    expect(operations).toBe(issues ? 'verify, issue' : 'verify')
  })
})

it('the provider table of docs/architecture.md names only catalog providers', () => {
  expect([...tableRows().keys()].sort()).toEqual([...providerIds].sort())
})
