import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { contentTypeFor, resolveRendererAsset } from './renderer-assets'

let root: string
beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'bk-assets-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html>')
  writeFileSync(join(root, 'assets', 'app.js'), '')
  writeFileSync(join(base, 'secret.json'), '{}')
})

describe('resolveRendererAsset', () => {
  it('serves index.html for the root and files inside the build folder', () => {
    expect(resolveRendererAsset(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveRendererAsset(root, '/index.html')).toBe(join(root, 'index.html'))
    expect(resolveRendererAsset(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'))
  })

  it.each([
    '/../secret.json',
    '/assets/../../secret.json',
    '/%2e%2e/secret.json',
    '/%2E%2E%2Fsecret.json',
    '/..%2fsecret.json',
    '/assets/..\\..\\secret.json',
    '/%5c..%5csecret.json',
    '/%00index.html',
    '/%E0%A4%A', // malformed percent-encoding
    '/assets/app.exe', // not a type the renderer ships
    '/assets', // a folder
  ])('refuses %s', (path) => {
    expect(resolveRendererAsset(root, path)).toBeNull()
  })

  it('keeps a path with doubled slashes inside the build folder', () => {
    expect(resolveRendererAsset(root, '//etc/passwd.json')).toBe(join(root, 'etc', 'passwd.json'))
  })
})

describe('contentTypeFor', () => {
  it('knows the renderer file types and falls back to octet-stream', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeFor('/x/a.js')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeFor('/x/a.bin')).toBe('application/octet-stream')
  })
})
