import {createHash} from 'node:crypto'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {UsageError} from '../../../src/cli/errors.js'
import {parseHost, resolveEngine} from '../../../src/engine/connect.js'

const home = '/home/ada'
const files = (map: Record<string, string>) => ({
  exists: (p: string) => p in map,
  readFile: (p: string) => {
    if (!(p in map)) throw Object.assign(new Error(`ENOENT ${p}`), {code: 'ENOENT'})
    return Buffer.from(map[p])
  },
})

describe('resolveEngine: the order DESIGN.md gives', () => {
  it('takes --host over DOCKER_HOST', () => {
    const a = resolveEngine({host: 'tcp://10.0.0.1:2375', env: {DOCKER_HOST: 'unix:///x.sock'}, home, ...files({})})
    expect(a).toMatchObject({scheme: 'tcp', host: '10.0.0.1', port: 2375, source: 'flag'})
  })

  it('takes DOCKER_HOST over the docker context', () => {
    const a = resolveEngine({env: {DOCKER_HOST: 'unix:///nonexistent.sock', DOCKER_CONTEXT: 'remote'}, home, ...files({})})
    expect(a).toMatchObject({scheme: 'unix', socketPath: '/nonexistent.sock', source: 'DOCKER_HOST'})
  })

  it('reads the current docker context from config.json and its meta file', () => {
    const digest = createHash('sha256').update('desktop-linux').digest('hex')
    const a = resolveEngine({
      env: {},
      home,
      platform: 'linux',
      ...files({
        [join(home, '.docker/config.json')]: JSON.stringify({currentContext: 'desktop-linux'}),
        [join(home, '.docker/contexts/meta', digest, 'meta.json')]: JSON.stringify({Endpoints: {docker: {Host: 'unix:///home/ada/.docker/desktop/docker.sock'}}}),
      }),
    })
    expect(a).toMatchObject({scheme: 'unix', socketPath: '/home/ada/.docker/desktop/docker.sock', source: 'context'})
    expect(a.sourceDetail).toContain('desktop-linux')
  })

  it('DOCKER_CONTEXT wins over config.json, and DOCKER_CONFIG moves the folder', () => {
    const digest = createHash('sha256').update('ci').digest('hex')
    const a = resolveEngine({
      env: {DOCKER_CONTEXT: 'ci', DOCKER_CONFIG: '/etc/dk-docker'},
      home,
      ...files({
        '/etc/dk-docker/config.json': JSON.stringify({currentContext: 'other'}),
        [join('/etc/dk-docker/contexts/meta', digest, 'meta.json')]: JSON.stringify({Endpoints: {docker: {Host: 'tcp://ci.example:2375'}}}),
      }),
    })
    expect(a).toMatchObject({scheme: 'tcp', host: 'ci.example', port: 2375})
  })

  it('a selected context without settings is a usage error, not a silent fallback', () => {
    expect(() => resolveEngine({env: {DOCKER_CONTEXT: 'gone'}, home, ...files({})})).toThrow(UsageError)
  })

  it('the "default" context means the default socket', () => {
    const a = resolveEngine({env: {DOCKER_CONTEXT: 'default'}, home, platform: 'linux', ...files({'/var/run/docker.sock': ''})})
    expect(a).toMatchObject({scheme: 'unix', socketPath: '/var/run/docker.sock', source: 'default'})
  })

  it('falls back to Docker Desktop\'s per-user socket when the system one is absent', () => {
    const a = resolveEngine({env: {}, home, platform: 'darwin', ...files({[join(home, '.docker/run/docker.sock')]: ''})})
    expect(a.socketPath).toBe(join(home, '.docker/run/docker.sock'))
  })

  it('uses the named pipe on Windows', () => {
    const a = resolveEngine({env: {}, home, platform: 'win32', ...files({})})
    expect(a).toMatchObject({scheme: 'npipe', socketPath: '//./pipe/docker_engine'})
  })

  it('reads TLS material from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', () => {
    const a = resolveEngine({
      env: {DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs'},
      home,
      ...files({'/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY'}),
    })
    expect(a.tls?.verify).toBe(true)
    expect(a.tls?.ca?.toString()).toBe('CA')
  })

  it('DOCKER_TLS_VERIFY with unreadable certificates is a usage error naming the file', () => {
    expect(() => resolveEngine({env: {DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nope'}, home, ...files({})})).toThrow(/\/nope\/ca.pem/)
  })
})

describe('parseHost', () => {
  it.each([
    ['unix:///var/run/docker.sock', {scheme: 'unix', socketPath: '/var/run/docker.sock'}],
    ['tcp://127.0.0.1:1', {scheme: 'tcp', host: '127.0.0.1', port: 1}],
    ['tcp://docker.local', {scheme: 'tcp', host: 'docker.local', port: 2375}],
    ['localhost:2375', {scheme: 'tcp', host: 'localhost', port: 2375}],
    ['ssh://me@build-box', {scheme: 'ssh', host: 'build-box', username: 'me', port: 22}],
    ['npipe:////./pipe/docker_engine', {scheme: 'npipe', socketPath: '//./pipe/docker_engine'}],
    ['tcp://[::1]:2375', {scheme: 'tcp', host: '::1', port: 2375}],
  ])('%s', (raw, expected) => {
    expect(parseHost(raw, 'flag', '--host')).toMatchObject(expected)
  })

  it('port 2376 means TLS, as the docker CLI assumes', () => {
    expect(parseHost('tcp://h:2376', 'flag', '--host').tls).toBeDefined()
  })

  it.each(['unix://', 'ftp://x', 'tcp://', 'http://:80'])('rejects %s with a usage error', (raw) => {
    expect(() => parseHost(raw, 'DOCKER_HOST', 'DOCKER_HOST')).toThrow(UsageError)
  })
})
