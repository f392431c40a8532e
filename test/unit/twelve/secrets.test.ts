import {describe, expect, it} from 'vitest'

import {environmentConfigKind, scanSecrets, secretFileKind} from '../../../src/twelve/secrets.js'

describe('secretFileKind', () => {
  it.each([
    ['.env', 'an environment file (.env)'],
    ['config/.env.production', 'an environment file (.env)'],
    ['deploy/id_rsa', 'an SSH private key'],
    ['certs/server.key', 'a key or certificate store'],
    ['.aws/credentials', 'a credentials file'],
    ['secrets.yml', 'a credentials file'],
  ])('%s is %s', (path, kind) => expect(secretFileKind(path)).toBe(kind))

  it.each(['.env.example', '.env.sample', 'id_rsa.pub', 'env.ts', 'keys.md', 'Dockerfile'])('%s is not a secret by name', (path) => expect(secretFileKind(path)).toBeUndefined())
})

describe('environmentConfigKind', () => {
  it('flags config files named after one environment', () => {
    expect(environmentConfigKind('config/production.json')).toBeDefined()
    expect(environmentConfigKind('application-prod.yml')).toBeDefined()
    expect(environmentConfigKind('settings.staging.ini')).toBeDefined()
  })
  it('leaves code and neutral config alone', () => {
    expect(environmentConfigKind('config/default.json')).toBeUndefined()
    expect(environmentConfigKind('production.rb')).toBeUndefined()
    expect(environmentConfigKind('reproduce.yml')).toBeUndefined()
  })
})

describe('scanSecrets', () => {
  it('finds private keys, cloud keys, tokens and passwords in URLs with line and column, masked', () => {
    const text = [
      'key: |',
      '  -----BEGIN OPENSSH PRIVATE KEY-----',
      'aws_id = AKIAIOSFODNN7EXAMPLE',
      'url: postgres://app:s3cret@db:5432/app',
      `token = ghp_${'a'.repeat(36)}`,
    ].join('\n')
    const hits = scanSecrets(text)
    expect(hits.map((h) => [h.what, h.line, h.column])).toEqual([
      ['a private key', 2, 3],
      ['an AWS access key id', 3, 10],
      ['a password in a URL', 4, 6],
      ['a GitHub token', 5, 9],
    ])
    expect(hits[1].excerpt).toBe('AKIA********')
    expect(hits.map((h) => h.excerpt).join(' ')).not.toMatch(/s3cret|IOSFODNN7/)
  })

  it('finds literal credentials in assignments but not references or placeholders', () => {
    const hits = scanSecrets(['password: hunter22', 'DB_PASSWORD=${DB_PASSWORD}', 'api_key = os.environ["API_KEY"]', 'secret: changeme', '"clientSecret": "9f8e7d6c5b"'].join('\n'))
    expect(hits.map((h) => [h.line, h.excerpt])).toEqual([
      [1, 'password=********'],
      [5, 'clientSecret=********'],
    ])
  })
})
