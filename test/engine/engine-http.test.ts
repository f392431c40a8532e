/**
 * dk's own Engine API client against the real engine: the same answers and, above all, the same
 * error objects (hence the same messages and exit codes) as dockerode, plus abort and timeout.
 */
import {execFileSync} from 'node:child_process'
import {connect as netConnect, createServer, type AddressInfo, type Server} from 'node:net'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createTlsServer} from 'node:tls'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EngineUnreachableError} from '../../src/cli/errors.js'
import {connectEngine, type Engine} from '../../src/engine/connect.js'
import {apiError} from '../../src/engine/errors.js'
import {listImages} from '../../src/engine/images.js'
import {pathPart} from '../../src/engine/engine-http.js'
import {dk} from '../helpers/cli.js'
import {maybeEngine} from '../helpers/engine.js'

let engine: Engine | undefined
let work: string
let silent: Server | undefined
let proxy: Server | undefined

beforeAll(async () => {
  engine = await maybeEngine()
  work = mkdtempSync(join(tmpdir(), 'dkt-engine-http-'))
})

afterAll(async () => {
  await new Promise((done) => (silent ? silent.close(done) : done(undefined)))
  await new Promise((done) => (proxy ? proxy.close(done) : done(undefined)))
  rmSync(work, {recursive: true, force: true})
})

describe('engine-http against the engine', () => {
  it('pins the API version the engine announced and answers JSON like dockerode', async ({skip}) => {
    if (!engine) return skip()
    expect(engine.http.apiVersion).toBe(engine.apiVersion)
    const mine = await engine.http.json<{Id: string; RepoTags: string[]}>({path: `/images/${pathPart('busybox:latest')}/json`})
    const theirs = await engine.docker.getImage('busybox:latest').inspect()
    expect(mine).toEqual(theirs)
  })

  it('rejects a missing image with the error dockerode gives, so apiError says the same', async ({skip}) => {
    if (!engine) return skip()
    const name = `dkt-missing-${process.pid}:none`
    const mine = await engine.http.json({path: `/images/${pathPart(name)}/json`}).catch((error) => error)
    const theirs = await engine.docker.getImage(name).inspect().catch((error) => error)
    expect(mine.statusCode).toBe(404)
    expect(mine.json).toEqual(theirs.json)
    const context = {action: `inspect image ${name}`, subject: `image: ${name}`, address: engine.address}
    const a = apiError(mine, context)
    const b = apiError(theirs, context)
    expect({message: a.message, hint: a.hint, code: a.code, exitCode: a.exitCode, details: a.details}).toEqual({message: b.message, hint: b.hint, code: b.code, exitCode: b.exitCode, details: b.details})
  })

  it('streams an image archive, and an abort stops the answer with an AbortError', async ({skip}) => {
    if (!engine) return skip()
    const controller = new AbortController()
    const archive = await engine.http.stream({path: '/images/get', query: {names: ['busybox:latest']}, signal: controller.signal})
    const first = (await archive[Symbol.asyncIterator]().next()).value as Buffer
    expect(first.subarray(257, 262).toString('latin1')).toBe('ustar')
    const ended = new Promise<Error>((resolve) => archive.once('error', resolve))
    controller.abort()
    expect((await ended).name).toBe('AbortError')
  })

  it('reports an engine that accepts connections but never answers as unreachable (exit 3), in time', async () => {
    const socket = join(work, 'silent.sock')
    // Reads (so it sees the client hang up) but never answers.
    silent = createServer((connection) => connection.resume())
    await new Promise<void>((done) => silent?.listen(socket, done))
    const started = Date.now()
    const error = await connectEngine({host: `unix://${socket}`, timeoutMs: 300}).catch((e) => e)
    expect(error).toBeInstanceOf(EngineUnreachableError)
    expect(error.exitCode).toBe(3)
    expect(error.message).toMatch(/did not answer in time/)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})

/** A CA, a server certificate for "localhost" only, and a client certificate, as DOCKER_CERT_PATH holds them. */
function makeCertificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=dk test CA')
  for (const [name, ext] of [
    ['server', 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ]) {
    writeFileSync(join(dir, `${name}.ext`), ext)
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`)
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`)
  }
  const certs = join(dir, 'docker')
  mkdirSync(certs)
  writeFileSync(join(certs, 'ca.pem'), readFileSync(join(dir, 'ca.pem')))
  writeFileSync(join(certs, 'cert.pem'), readFileSync(join(dir, 'client.pem')))
  writeFileSync(join(certs, 'key.pem'), readFileSync(join(dir, 'client-key.pem')))
}

describe('start-up: the hot commands never load dockerode', () => {
  // NODE_DEBUG=module logs every CommonJS load; dockerode and its dependencies are CommonJS.
  it.each([
    ['images', '-q'],
    ['ps', '-a'],
    ['inspect', 'busybox'],
    ['history', 'busybox'],
    ['save', '-o', '@out', 'busybox'],
  ])('dk %s', async (...args) => {
    if (!engine) return
    const argv = args.map((a) => (a === '@out' ? join(work, `startup-${process.pid}.tar`) : a))
    const result = await dk(argv, {env: {NODE_DEBUG: 'module'}})
    expect(result.code).toBe(0)
    expect(result.stderr).not.toMatch(/node_modules\/(dockerode|docker-modem|ssh2|@grpc)\//)
    // The log is there (so its silence about dockerode means something); save runs without oclif too.
    expect(result.stderr).toMatch(/^MODULE \d+: /m)
  })
})

describe('engine-http over TLS (a TLS front to the real engine, client certificates required)', () => {
  it('talks to the engine with DOCKER_TLS_VERIFY, refuses a wrong host name (exit 3), and skips the name check without it', async ({skip}) => {
    if (!engine || engine.address.scheme !== 'unix') return skip()
    const dir = join(work, 'tls')
    mkdirSync(dir)
    try {
      makeCertificates(dir)
    } catch {
      return skip('openssl is needed to make the test certificates')
    }
    const socketPath = engine.address.socketPath as string
    proxy = createTlsServer(
      {key: readFileSync(join(dir, 'server-key.pem')), cert: readFileSync(join(dir, 'server.pem')), ca: readFileSync(join(dir, 'ca.pem')), requestCert: true, rejectUnauthorized: true},
      (tlsSocket) => {
        const upstream = netConnect(socketPath)
        tlsSocket.pipe(upstream).pipe(tlsSocket)
        tlsSocket.on('error', () => upstream.destroy())
        upstream.on('error', () => tlsSocket.destroy())
      },
    )
    await new Promise<void>((done) => proxy?.listen(0, done))
    const port = (proxy.address() as AddressInfo).port
    const certPath = join(dir, 'docker')

    const verified = await connectEngine({env: {DOCKER_HOST: `tcp://localhost:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath}})
    expect(verified.address.tls?.verify).toBe(true)
    expect((await listImages(verified, {reference: 'busybox'})).map((r) => r.tag)).toContain('latest')
    // The lazily made dockerode client gets the same address and TLS material.
    expect((await verified.docker.getImage('busybox:latest').inspect()).Id).toMatch(/^sha256:/)

    const wrongName = await connectEngine({env: {DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath}}).catch((e) => e)
    expect(wrongName).toBeInstanceOf(EngineUnreachableError)
    expect(wrongName.exitCode).toBe(3)

    const unverified = await connectEngine({env: {DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_CERT_PATH: certPath}})
    expect(unverified.address.tls?.verify).toBe(false)
    expect((await listImages(unverified, {reference: 'busybox'})).length).toBeGreaterThan(0)
    verified.http.close()
    unverified.http.close()
  })
})
