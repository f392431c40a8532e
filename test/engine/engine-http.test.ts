/**
 * dk's own Engine API client against the real engine: the same answers and, above all, the same
 * error objects (hence the same messages and exit codes) as dockerode, plus abort and timeout.
 */
import {createServer, type Server} from 'node:net'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EngineUnreachableError} from '../../src/cli/errors.js'
import {connectEngine, type Engine} from '../../src/engine/connect.js'
import {apiError} from '../../src/engine/errors.js'
import {pathPart} from '../../src/engine/engine-http.js'
import {maybeEngine} from '../helpers/engine.js'

let engine: Engine | undefined
let work: string
let silent: Server | undefined

beforeAll(async () => {
  engine = await maybeEngine()
  work = mkdtempSync(join(tmpdir(), 'dkt-engine-http-'))
})

afterAll(async () => {
  await new Promise((done) => (silent ? silent.close(done) : done(undefined)))
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
