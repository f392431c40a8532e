/**
 * The foundation against a real engine: doctor, setup's idempotence and its refusal to replace
 * images it did not make, and the basic life of an image and a container through dockerode.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {Label} from '../../src/engine/labels.js'
import {runDoctor} from '../../src/workshop/doctor.js'
import {type BaseImage, setupBaseImages} from '../../src/workshop/setup.js'
import {dk} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine, testLabels} from '../helpers/engine.js'

const SUITE = 'foundation'
let engine: Engine | undefined

beforeAll(async () => {
  engine = await maybeEngine()
})

afterAll(async () => {
  if (!engine) return
  await cleanupTestObjects(engine.docker, SUITE)
  for (const ref of ['dkt-foundation/busybox:setup', 'dkt-foundation/foreign:1']) await engine.docker.getImage(ref).remove({force: true}).catch(() => undefined)
})

describe('engine: foundation', () => {
  it('doctor reports every check green on this machine', async (t) => {
    if (!engine) return t.skip()
    const report = await runDoctor(engine)
    const failed = report.checks.filter((c) => c.status === 'fail')
    expect(failed, JSON.stringify(failed)).toEqual([])
    expect(report.ready).toBe(true)
    expect(report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['engine', 'api-version', 'storage-driver', 'builder', 'disk', 'image-busybox', 'image-debian', 'ports']))
    const leftovers = await engine.docker.listContainers({all: true, filters: JSON.stringify({label: ['io.dk.doctor=true']})})
    expect(leftovers).toEqual([])
  })

  it('dk doctor --json (the built CLI) exits 0 with the envelope', async (t) => {
    if (!engine) return t.skip()
    const r = await dk(['doctor', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ok: true, command: 'doctor', exitCode: 0, data: {ready: true}})
  })

  it('setup makes a busybox image from the host, then changes nothing the second time', async (t) => {
    if (!engine) return t.skip()
    const images: BaseImage[] = [{kind: 'busybox', ref: 'dkt-foundation/busybox:setup', purpose: 'test', optIn: false}]
    const first = await setupBaseImages(engine, {images})
    expect(first[0].status).toBe('created')
    const info = await engine.docker.getImage('dkt-foundation/busybox:setup').inspect()
    expect(info.Config.Labels?.[Label.base]).toBe('local')
    expect(info.Config.Cmd).toEqual(['sh'])
    const second = await setupBaseImages(engine, {images})
    expect(second[0]).toMatchObject({status: 'present', id: first[0].id})

    // The image works: sh, the app user, a world-writable /tmp.
    const container = await engine.docker.createContainer({
      Image: 'dkt-foundation/busybox:setup',
      Cmd: ['sh', '-c', 'id -u app; stat -c %a /tmp; echo ok'],
      Labels: testLabels(SUITE),
    })
    await container.start()
    const {StatusCode} = await container.wait()
    const logs = (await container.logs({stdout: true, stderr: true})).toString('latin1')
    expect(StatusCode).toBe(0)
    expect(logs).toContain('1000')
    expect(logs).toContain('1777')
    expect(logs).toContain('ok')
  })

  it('setup never replaces an image it did not make', async (t) => {
    if (!engine) return t.skip()
    // An image of the same name without dk's base label stands for one pulled from a registry.
    const {pack} = await import('tar-stream')
    const tar = pack()
    tar.entry({name: 'marker'}, 'foreign')
    tar.finalize()
    const stream = await engine.docker.importImage(tar as unknown as string, {repo: 'dkt-foundation/foreign', tag: '1'} as object)
    await new Promise((resolve) => {
      stream.on('end', resolve)
      stream.resume()
    })
    const before = await engine.docker.getImage('dkt-foundation/foreign:1').inspect()
    const items = await setupBaseImages(engine, {rebuild: true, images: [{kind: 'busybox', ref: 'dkt-foundation/foreign:1', purpose: 'test', optIn: false}]})
    expect(items[0].status).toBe('kept')
    const after = await engine.docker.getImage('dkt-foundation/foreign:1').inspect()
    expect(after.Id).toBe(before.Id)
  })

  it('dk setup twice: the second run says nothing changed', async (t) => {
    if (!engine) return t.skip()
    await dk(['setup', '--json'])
    const r = await dk(['setup', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.data.changed).toBe(false)
    const text = await dk(['setup'])
    expect(text.stdout).toContain('Nothing to do')
  })
})
