import { describe, expect, it } from 'vitest'
import type { Matrix } from '../../../../shared/environments'
import {
  changeSet,
  countAuthorized,
  isAuthorized,
  pendingChanges,
  rebase,
  savedMatrix,
  stage,
  toggleCell,
  toggleLine,
  type Staged,
} from './staging'

function env(id: string, isProtected = false) {
  return {
    id,
    name: id,
    slug: id,
    color: '#2f9e44',
    description: '',
    protected: isProtected,
    position: 0,
    authorizedCount: 0,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  }
}
const conn = (id: string) => ({ id, name: id, slug: id, provider: 'aws', labels: [] })

// Rows a, b, c; columns dev, prod (protected). a: dev; b: dev, prod; c: nothing.
const matrix: Matrix = {
  environments: [env('dev'), env('prod', true)],
  connections: [conn('a'), conn('b'), conn('c')],
  authorized: [[0], [0, 1], []],
  defaults: [],
  lastChange: null,
}
const saved = savedMatrix(matrix)
const none: Staged = new Map()

describe('staged matrix edits', () => {
  it('reads the saved state until a cell is staged', () => {
    expect(isAuthorized(saved, none, 0, 0)).toBe(true)
    expect(isAuthorized(saved, none, 0, 1)).toBe(false)
    const staged = toggleCell(saved, none, 0, 1)
    expect(isAuthorized(saved, staged, 0, 1)).toBe(true)
    expect(staged.size).toBe(1)
  })

  it('unstages a cell toggled back to its saved state', () => {
    const twice = toggleCell(saved, toggleCell(saved, none, 2, 0), 2, 0)
    expect(twice.size).toBe(0)
    expect(pendingChanges(saved, twice)).toEqual([])
  })

  it('toggles a line all on unless it is all on already', () => {
    const column0: [number, number][] = [
      [0, 0],
      [1, 0],
      [2, 0],
    ]
    const allOn = toggleLine(saved, none, column0)
    expect(countAuthorized(saved, allOn, column0)).toBe(3)
    expect(allOn.size).toBe(1) // only c:dev changed
    const allOff = toggleLine(saved, allOn, column0)
    expect(countAuthorized(saved, allOff, column0)).toBe(0)
    expect(changeSet(saved, allOff)).toEqual({
      grants: [],
      revokes: [
        { connectionId: 'a', environmentId: 'dev' },
        { connectionId: 'b', environmentId: 'dev' },
      ],
    })
  })

  it('lists pending changes grants first, flagging protected environments', () => {
    let staged = stage(saved, none, [[1, 1]], false)
    staged = stage(saved, staged, [[2, 1]], true)
    expect(pendingChanges(saved, staged)).toEqual([
      {
        kind: 'grant',
        row: 2,
        column: 1,
        connectionName: 'c',
        environmentName: 'prod',
        protected: true,
      },
      {
        kind: 'revoke',
        row: 1,
        column: 1,
        connectionName: 'b',
        environmentName: 'prod',
        protected: true,
      },
    ])
  })

  it('carries edits to a newer matrix by id, dropping those it already holds or lost', () => {
    let staged = toggleCell(saved, none, 2, 0) // grant c:dev
    staged = toggleCell(saved, staged, 0, 1) // grant a:prod
    staged = toggleCell(saved, staged, 1, 0) // revoke b:dev
    // Meanwhile: a new connection sorts first, c:dev was granted elsewhere, b was trashed.
    const newer = savedMatrix({
      ...matrix,
      connections: [conn('0'), conn('a'), conn('c')],
      authorized: [[], [0], [0]],
    })
    const carried = rebase(saved, staged, newer)
    expect(changeSet(newer, carried)).toEqual({
      grants: [{ connectionId: 'a', environmentId: 'prod' }],
      revokes: [],
    })
  })
})
