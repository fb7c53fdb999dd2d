import { describe, expect, it } from 'vitest'
import {
  describeReference,
  parseReference,
  parseReferenceText,
  readsKubernetes,
  referenceKind,
} from './secret-reference'

describe('secret references', () => {
  it.each([
    ['env:DB_PASSWORD', 'env'],
    ['file:/run/secrets/db', 'file'],
    ['file:~/.secrets/db', 'file'],
    ['command:pass show prod/db', 'command'],
    ['command:["op","read","op://vault/item with space/password"]', 'command'],
    ['secret:prod-k8s/payments/db-credentials/password', 'secretKeyRef'],
    ['configmap:prod-k8s/default/app-config/api.url', 'configMapKeyRef'],
    ['helm:prod-k8s/data/postgres/auth.postgresPassword', 'helmRef'],
  ])('%s round-trips through its text form', (text, kind) => {
    const ref = parseReferenceText(text)
    expect(referenceKind(ref)).toBe(kind)
    expect(describeReference(ref)).toBe(text)
    expect(readsKubernetes(ref)).toBe(!['env', 'file', 'command'].includes(kind))
  })

  it('fills the default namespace in a structured reference', () => {
    const ref = parseReference({ secretKeyRef: { connection: 'k', name: 'db', key: 'password' } })
    expect(ref.secretKeyRef?.namespace).toBe('default')
  })

  it.each([
    ['', /is not a reference/],
    ['password', /is not a reference/],
    ['vault:secret/x', /is not a reference/],
    ['env:', /must not be empty/],
    ['env:1ABC', /letters, digits/],
    ['env:A-B', /letters, digits/],
    ['file:relative/path', /absolute path/],
    ['command:', /at least the program/],
    ['command:[1,2]', /must be text/],
    ['command:["a"', /not a valid JSON list/],
    ['secret:k8s/ns/name', /four parts/],
    ['secret:k8s/ns/name/key/extra', /four parts/],
    ['secret:k8s//name/key', /four parts/],
    ['secret:k8s/NS/name/key', /Namespace/],
    ['configmap:k8s/ns/Bad_Name/key', /ConfigMap/],
    ['helm:k8s/ns/release/.leading', /Values path/],
    ['env:A\u0000B', /control characters/],
    // What the details page and `show` display must be what runs ("Trojan Source"):
    ['command:["pass","show","\u202Ebd/dorp"]', /control characters \(found U\+202E/],
    ['file:/run/secrets/\u2066db', /control characters \(found U\+2066/],
    ['command:pass show \u0085x', /control characters/],
    ['command:pass show \u009b31m', /control characters/],
  ])('refuses %j with a message saying what is wrong', (text, message) => {
    expect(() => parseReferenceText(text)).toThrow(message)
  })

  it.each([
    [{}, /exactly one source/],
    [{ env: { name: 'A' }, file: { path: '/x' } }, /exactly one source/],
    [{ vault: { path: 'x' } }, /exactly one source/],
    [{ env: { name: 'A', extra: 1 } }, /Unrecognized key|extra/],
    ['env:A', /one source/],
    [null, /one source/],
  ])('refuses the structured reference %j', (raw, message) => {
    expect(() => parseReference(raw)).toThrow(message)
  })

  it('never echoes a long or unprintable input whole', () => {
    const long = 'x'.repeat(500)
    let caught: unknown
    try {
      parseReferenceText(long)
    } catch (error) {
      caught = error
    }
    expect(String((caught as Error).message).length).toBeLessThan(200)
  })
})
