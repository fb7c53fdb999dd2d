import { describe, expect, it } from 'vitest'
import { httpUrl, propertyPairs, propertyVariable } from './http-request'

describe('httpUrl: the URL an HTTP connection calls', () => {
  it('fills the template URL-encoded, and leaves the text as it is without a port', () => {
    const config = {
      url: 'https://$(username):$(password)@h.example.com/x?k=$(password)',
      username: 'm n',
    }
    expect(httpUrl(config, { password: 'a/b&c' })).toBe(
      'https://m%20n:a%2Fb%26c@h.example.com/x?k=a%2Fb%26c',
    )
    expect(httpUrl({ url: 'https://h.example.com' }, {})).toBe('https://h.example.com')
  })

  it('applies the port over the URL’s own, or adds it', () => {
    expect(httpUrl({ url: 'https://h.example.com:8080/x', port: '9443' }, {})).toBe(
      'https://h.example.com:9443/x',
    )
    expect(httpUrl({ url: 'http://h.example.com/x', port: '8080' }, {})).toBe(
      'http://h.example.com:8080/x',
    )
  })

  it('takes the whole URL from Password, unencoded, and refuses one that is not http(s)', () => {
    const secret = 'https://u:p%40ss@h.example.com/a b?c=d+e'
    expect(httpUrl({ url: '$(password)' }, { password: `${secret}\n` })).toBe(secret)
    for (const password of ['ftp://h.example.com/C4NARY', 'C4NARY not a url', undefined]) {
      let message = ''
      try {
        httpUrl({ url: '$(password)' }, password === undefined ? {} : { password })
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toMatch(
        /^The URL is taken whole from Password \(\$\(password\)\), but Password's value /,
      )
      expect(message).not.toContain('C4NARY')
    }
  })
})

describe('properties', () => {
  it('become one variable each, upper-cased with anything else as "_"', () => {
    expect(propertyVariable('api.version-2')).toBe('BRIDGEKEEP_HTTP_PROPERTY_API_VERSION_2')
    expect(propertyPairs('{"tenant":"acme","n":"1"}')).toEqual([
      ['tenant', 'acme'],
      ['n', '1'],
    ])
    expect(propertyPairs(undefined)).toEqual([])
    expect(propertyPairs('not json')).toEqual([])
  })
})
