/**
 * What an attendee makes with `dk build` / `dk run` inside an exercise folder belongs to that
 * exercise: `dk exercise reset` removes it. Outside a workshop, dk adds no workshop label.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {Label} from '../../src/engine/labels.js'
import {dk} from '../helpers/cli.js'
import {maybeEngine} from '../helpers/engine.js'

const NAME = `dkt-attendee-${process.pid}`
const TAG = `dkt-attendee/img:${process.pid}`
let engine: Engine | undefined
let workshop: string
let outside: string

beforeAll(async () => {
  engine = await maybeEngine()
  workshop = mkdtempSync(join(tmpdir(), 'dkt-attendee-ws-'))
  outside = mkdtempSync(join(tmpdir(), 'dkt-attendee-out-'))
})

afterAll(async () => {
  if (engine) {
    for (const name of [NAME, `${NAME}-out`]) await engine.docker.getContainer(name).remove({force: true, v: true}).catch(() => undefined)
    await engine.docker.getImage(TAG).remove({force: true}).catch(() => undefined)
  }
  rmSync(workshop, {recursive: true, force: true})
  rmSync(outside, {recursive: true, force: true})
})

describe('engine: objects an attendee makes in an exercise folder', () => {
  it('carry the exercise labels, and reset removes them', async ({skip}) => {
    if (!engine) return skip('no engine')
    expect((await dk(['exercise', '1', '--dir', workshop, '--json'])).code).toBe(0)
    const folder = join(workshop, '01-hello')
    writeFileSync(join(folder, 'Dockerfile'), 'FROM busybox:latest\nCMD ["true"]\n')

    const built = await dk(['build', '-t', TAG, '.', '--json'], {cwd: folder})
    expect(built.code, built.stderr).toBe(0)
    const ran = await dk(['run', '--name', NAME, 'busybox:latest', 'true'], {cwd: folder})
    expect(ran.code, ran.stderr).toBe(0)

    const image = await engine.docker.getImage(TAG).inspect()
    expect(image.Config.Labels).toMatchObject({[Label.workshop]: workshop, [Label.exercise]: '1', 'io.dk.image': `${TAG}`})
    const container = await engine.docker.getContainer(NAME).inspect()
    expect(container.Config.Labels).toMatchObject({[Label.workshop]: workshop, [Label.exercise]: '1', 'io.dk.container': NAME})

    const reset = await dk(['exercise', 'reset', '1', '-y', '--dir', workshop, '--json'])
    expect(reset.code, reset.stderr).toBe(0)
    await expect(engine.docker.getContainer(NAME).inspect()).rejects.toMatchObject({statusCode: 404})
    await expect(engine.docker.getImage(TAG).inspect()).rejects.toMatchObject({statusCode: 404})
  })

  it('outside a workshop, dk adds no workshop label', async ({skip}) => {
    if (!engine) return skip('no engine')
    const ran = await dk(['run', '--name', `${NAME}-out`, 'busybox:latest', 'true'], {cwd: outside})
    expect(ran.code, ran.stderr).toBe(0)
    const container = await engine.docker.getContainer(`${NAME}-out`).inspect()
    expect(container.Config.Labels?.[Label.workshop]).toBeUndefined()
    expect(container.Config.Labels?.[Label.managed]).toBe('true')
  })
})
