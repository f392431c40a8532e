/**
 * The exercise engine against the real engine: the CLI flow of exercise 1 (scaffold → verify fails →
 * solve → verify passes → status → reset leaves nothing), exit codes, the kit's cleanup by run
 * label, and the rule that objects which only inherited dk's labels are never counted as dk's.
 * The full self-test of every exercise is `npm run check:exercises` (dk dev check).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {countLabelled, createExerciseContext, findLabelled, removeLabelled} from '../../src/exercises/kit.js'
import {dk} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine, testLabels} from '../helpers/engine.js'

const SUITE = 'exercises.test'
let engine: Engine | undefined
let ws = ''

beforeAll(async () => {
  engine = await maybeEngine()
  ws = await mkdtemp(join(tmpdir(), 'dkt-exercises-'))
})

afterAll(async () => {
  if (engine) {
    await removeLabelled(engine, {'io.dk.workshop': ws})
    await cleanupTestObjects(engine.docker, SUITE)
  }
  await rm(ws, {recursive: true, force: true})
})

describe('dk exercise, exercise 1, through the built CLI', () => {
  it('scaffold → verify fails (exit 1) → solve → verify passes → status → reset removes its container', async (t) => {
    if (!engine) return t.skip()
    if (await engine.docker.getContainer('dk-hello').inspect().then(() => true, () => false)) return t.skip('a dk-hello container already exists on this engine')

    const opened = await dk(['exercise', '1', '--dir', ws, '--json'])
    expect(opened.code).toBe(0)
    const token: string = opened.json.data.token
    expect(opened.json.data.readme).toContain(token)

    const before = await dk(['exercise', 'verify', '--dir', ws, '--json'])
    expect(before.code).toBe(1)
    expect(before.json.ok).toBe(false)
    expect(before.json.data.checks[0]).toMatchObject({id: 'container', status: 'fail'})
    expect(before.json.data.checks.slice(1).every((c: {status: string}) => c.status === 'skipped')).toBe(true)

    const locked = await dk(['exercise', 'solution', '1', '--dir', ws, '--json'])
    expect(locked.code).toBe(1)
    expect(locked.json.error.code).toBe('SOLUTION_LOCKED')

    expect((await dk(['exercise', 'solve', '1', '--dir', ws])).code).toBe(0)
    const after = await dk(['exercise', 'verify', '1', '--dir', ws, '--json'])
    expect(after.code).toBe(0)
    expect(after.json.data.passed).toBe(true)
    const logs = await engine.docker.getContainer('dk-hello').logs({stdout: true, follow: false})
    expect(String(logs)).toContain(token)

    const status = await dk(['exercise', 'status', '--dir', ws, '--json'])
    expect(status.json.data.exercises[0]).toMatchObject({id: 1, status: 'skipped', attempts: 2, lastResult: 'pass'})

    const refused = await dk(['exercise', 'reset', '1', '--dir', ws])
    expect(refused.code).toBe(2)
    expect((await dk(['exercise', 'reset', '1', '--dir', ws, '-y'])).code).toBe(0)
    expect(await engine.docker.getContainer('dk-hello').inspect().then(() => true, () => false)).toBe(false)
    expect(await countLabelled(engine, {'io.dk.workshop': ws, 'io.dk.exercise': '1'})).toEqual({containers: 0, images: 0, volumes: 0, networks: 0})
  })

  it('engine unreachable → exit 3; unknown exercise → exit 2; not scaffolded → exit 4', async () => {
    const down = await dk(['exercise', 'verify', '1', '--dir', ws, '--host', 'unix:///nonexistent/docker.sock', '--json'])
    expect(down.code).toBe(3)
    expect(down.json.error.code).toBe('ENGINE_UNREACHABLE')
    expect((await dk(['exercise', '99', '--dir', ws])).code).toBe(2)
    const empty = await mkdtemp(join(tmpdir(), 'dkt-exercises-empty-'))
    expect((await dk(['exercise', '4', '--dir', empty])).code).toBe(0)
    await rm(join(empty, '04-entrypoint'), {recursive: true})
    expect((await dk(['exercise', 'verify', '4', '--dir', empty])).code).toBe(4)
    await rm(empty, {recursive: true, force: true})
  })
})

describe('the kit on the engine', () => {
  it('removes what a run made (by io.dk.run), even when the run failed half-way', async (t) => {
    if (!engine) return t.skip()
    const dir = join(ws, 'kit')
    await rm(dir, {recursive: true, force: true})
    await (await import('node:fs/promises')).mkdir(dir)
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\nRUN echo built > /built\nCMD ["cat", "/built"]\n')
    const run = createExerciseContext({exercise: {id: 99, slug: 'kit', title: 'kit'}, dir, workshopDir: ws, token: 'dk-test'})
    try {
      const image = await run.ctx.build('.')
      expect((await run.ctx.run(image.tags[0])).stdout).toBe('built\n')
      const server = await run.ctx.run('busybox:latest', {detach: true, cmd: ['httpd', '-f', '-p', '8080', '-h', '/etc'], ports: ['127.0.0.1::8080']})
      const port = await run.ctx.publishedPort(server.name, '8080/tcp')
      expect((await run.ctx.httpGet(port!, '/passwd')).body).toContain('app:x:1000')
      expect(await countLabelled(engine, {'io.dk.run': run.ctx.runId})).toMatchObject({containers: 1, images: 1})
      throw new Error('a check failing half-way')
    } catch (error) {
      expect((error as Error).message).toBe('a check failing half-way')
    } finally {
      expect(await run.cleanup()).toEqual([])
    }
    expect(await countLabelled(engine, {'io.dk.run': run.ctx.runId})).toEqual({containers: 0, images: 0, volumes: 0, networks: 0})
  })

  it('never counts an image or container that only inherited dk labels as dk-made', async (t) => {
    if (!engine) return t.skip()
    const dir = join(ws, 'inherit')
    await (await import('node:fs/promises')).mkdir(dir, {recursive: true})
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\nRUN echo base > /base\n')
    const run = createExerciseContext({exercise: {id: 98, slug: 'inherit', title: 'inherit'}, dir, workshopDir: ws, token: 'dk-test'})
    const base = await run.ctx.build('.', {tag: 'dkt-exercises-base:1'})
    // An attendee's own build FROM dk's image: it inherits dk's labels (plus the test's own).
    const {pack} = await import('tar-stream')
    const tar = pack()
    tar.entry({name: 'Dockerfile'}, 'FROM dkt-exercises-base:1\nRUN echo child > /child\n')
    tar.finalize()
    const stream = await engine.docker.buildImage(tar as unknown as NodeJS.ReadableStream, {t: 'dkt-exercises-child:1', labels: testLabels(SUITE)})
    await new Promise((resolve, reject) => engine!.docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(undefined))))
    const child = await engine.docker.getImage('dkt-exercises-child:1').inspect()
    expect(child.Config.Labels?.['io.dk.exercise']).toBe('98')
    const container = await engine.docker.createContainer({Image: 'dkt-exercises-child:1', name: 'dkt-exercises-inherit', Labels: testLabels(SUITE), Cmd: ['true']})

    const found = await findLabelled(engine, {'io.dk.workshop': ws, 'io.dk.exercise': '98'})
    expect(found.images.map((i) => i.id)).toEqual([base.id])
    expect(found.containers).toEqual([])
    expect(await removeLabelled(engine, {'io.dk.workshop': ws, 'io.dk.exercise': '98'})).toEqual([])
    expect(await engine.docker.getImage('dkt-exercises-child:1').inspect().then(() => true, () => false)).toBe(true)
    expect(await engine.docker.getImage('dkt-exercises-base:1').inspect().then(() => true, () => false)).toBe(false)
    await container.remove({force: true})
  })
})
