/**
 * `dk twelve-factor --run` against the real engine: every starter template passes, and each
 * deliberately broken app in test/fixtures/twelve fails on its factor with the evidence that
 * proves it. Builds are busybox-based and share layers; memcached (apt from Debian's mirror) is
 * built once. Everything carries testLabels('twelve-factor') and is removed in afterAll.
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {buildImage} from '../../src/engine/build.js'
import {Label} from '../../src/engine/labels.js'
import {audit} from '../../src/twelve/audit.js'
import type {Check, FactorId, TwelveFactorReport} from '../../src/twelve/report.js'
import {dk, dkBin, repoRoot} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine, testLabels} from '../helpers/engine.js'

const SUITE = 'twelve-factor'
const labels = testLabels(SUITE)
const templates = join(repoRoot, 'templates')
const fixtures = join(repoRoot, 'test', 'fixtures', 'twelve')

let engine: Engine | undefined

beforeAll(async () => {
  engine = await maybeEngine()
})

afterAll(async () => {
  if (engine) await cleanupTestObjects(engine.docker, SUITE)
})

const check = (report: TwelveFactorReport, factor: FactorId, id: string): Check | undefined =>
  report.factors.find((f) => f.id === factor)?.checks.find((c) => c.id === id)

const failing = (report: TwelveFactorReport) => report.factors.filter((f) => f.status === 'fail').map((f) => f.id)

/** The dynamic checks every good app must pass. */
function expectHealthyRun(report: TwelveFactorReport): void {
  expect(failing(report), JSON.stringify(report.factors.filter((f) => f.status === 'fail'), null, 1)).toEqual([])
  expect(report.ok).toBe(true)
  expect(report.ran).toBe(true)
  for (const [factor, id] of [
    ['III', 'config-from-env'],
    ['VI', 'stateless'],
    ['VII', 'answers-on-port'],
    ['VIII', 'replicas-alike'],
    ['IX', 'graceful-stop'],
    ['XI', 'request-logs'],
    ['XII', 'one-off'],
  ] as const) {
    expect(check(report, factor, id)?.status, `${factor} ${id}`).toBe('pass')
  }
  expect(report.runtime?.exitCode).toBe(0)
  expect(report.runtime?.stopMs).toBeLessThan(3000)
  expect(report.runtime?.startupMs).toBeGreaterThanOrEqual(0)
}

async function leftovers(): Promise<number> {
  const list = await engine!.docker.listContainers({all: true, filters: JSON.stringify({label: [`${Label.test}=${SUITE}`]})})
  return list.length
}

describe('templates pass the report card', () => {
  for (const name of ['twelve-factor-web', 'static-site', 'onbuild-base']) {
    it(name, async (ctx) => {
      if (!engine) return ctx.skip()
      const report = await audit({dir: join(templates, name), run: true, labels})
      expectHealthyRun(report)
      expect(await leftovers()).toBe(0)
    })
  }

  it('onbuild-base: an app built FROM the base gets its pages through ONBUILD and passes too', async (ctx) => {
    if (!engine) return ctx.skip()
    const base = await buildImage(engine, {dir: join(templates, 'onbuild-base'), labels, lint: false})
    // The child names its base `team-base:1`; the test points it at the image it just built instead of a shared tag.
    const child = await buildImage(engine, {
      dir: join(templates, 'onbuild-base', 'example-app'),
      dockerfileContent: `FROM ${base.id}\nENV APP_NAME="example-app"\n`,
      labels,
      lint: false,
    })
    expect(child.steps.length).toBeGreaterThan(0)
    const report = await audit({image: child.id, run: true, labels})
    expectHealthyRun(report)
    expect(check(report, 'III', 'config-from-env')?.evidence.join('\n')).toMatch(/APP_NAME=\d+/)
  })

  it('memcached (TCP probe, apt from Debian\'s mirror)', async (ctx) => {
    if (!engine) return ctx.skip()
    const debian = await engine.docker.getImage('debian:bookworm').inspect().catch(() => undefined)
    if (!debian) {
      if (process.env.CI) throw new Error('debian:bookworm is missing: run `dk setup --debian` before the engine suite')
      process.stderr.write('memcached template skipped: no debian:bookworm (dk setup --debian)\n')
      return ctx.skip()
    }
    const report = await audit({dir: join(templates, 'memcached'), run: true, labels})
    expectHealthyRun(report)
    expect(report.runtime?.protocol).toBe('tcp')
    // The random config value comes back from `stats settings` as memcached's connection limit.
    expect(check(report, 'III', 'config-from-env')?.summary).toMatch(/MEMCACHED_MAX_CONNECTIONS shows/)
  }, 300_000)
})

describe('broken apps fail on the right factor', () => {
  it('two ports: VII fails statically, naming both ports', async () => {
    const report = await audit({dir: join(fixtures, 'two-ports'), run: false})
    const ports = check(report, 'VII', 'one-port')!
    expect(ports.status).toBe('fail')
    expect(ports.evidence).toEqual(['Dockerfile:8:8: EXPOSE 8080/tcp', 'Dockerfile:8:13: EXPOSE 9090/tcp'])
    expect(ports.location).toBe('Dockerfile:8:13')
    expect(check(report, 'V', 'lint-deis')?.evidence.join('\n')).toMatch(/DK302/)
    expect(report.ok).toBe(false)
  })

  it('port hard-coded: VII fails saying it ignores $PORT, and the other checks still run on the EXPOSEd port', async (ctx) => {
    if (!engine) return ctx.skip()
    const report = await audit({dir: join(fixtures, 'ignores-port'), run: true, labels})
    expect(failing(report)).toEqual(['VII'])
    expect(check(report, 'VII', 'answers-on-port')?.evidence).toContain('it answers on its EXPOSEd port 8080/tcp: it ignores $PORT (the other checks used that port)')
    expect(check(report, 'III', 'config-from-env')?.status).toBe('pass')
    expect(check(report, 'IX', 'graceful-stop')?.status).toBe('pass')
  })

  it('config baked into the image: III fails, both values gave the same answer', async (ctx) => {
    if (!engine) return ctx.skip()
    const report = await audit({dir: join(fixtures, 'baked-config'), run: true, labels})
    expect(failing(report)).toEqual(['III'])
    const config = check(report, 'III', 'config-from-env')!
    expect(config.status).toBe('fail')
    expect(config.evidence).toHaveLength(2)
    for (const line of config.evidence) expect(line).toMatch(/^GREETING=\d+: "Hello from the config file"$/)
    expect(await leftovers()).toBe(0)
  })

  it('log file: XI fails (nothing in the log stream, a .log file written), VI names the file', async (ctx) => {
    if (!engine) return ctx.skip()
    const report = await audit({dir: join(fixtures, 'log-file'), run: true, labels})
    expect(failing(report)).toEqual(['VI', 'XI'])
    expect(check(report, 'XI', 'request-logs')?.status).toBe('fail')
    expect(check(report, 'XI', 'no-log-files')?.evidence).toContain('A /app/logs/access.log')
    expect(check(report, 'XI', 'logs-to-stdout')?.location).toBe('start.sh:4:46')
    expect(check(report, 'VI', 'stateless')?.evidence).toContain('A /app/logs/access.log')
  })

  it('SIGTERM ignored: IX fails with exit code 137 after the 3 s grace period', async (ctx) => {
    if (!engine) return ctx.skip()
    const report = await audit({dir: join(fixtures, 'sigterm-ignored'), run: true, labels})
    expect(failing(report)).toEqual(['IX'])
    const stop = check(report, 'IX', 'graceful-stop')!
    expect(stop.status).toBe('fail')
    expect(report.runtime?.exitCode).toBe(137)
    expect(report.runtime?.stopMs).toBeGreaterThanOrEqual(3000)
    expect(stop.evidence.join('\n')).toMatch(/exit code 137/)
  })

  it('writes into the image: VI fails with the diff, VIII sees replicas drift apart', async (ctx) => {
    if (!engine) return ctx.skip()
    const report = await audit({dir: join(fixtures, 'writes-state'), run: true, labels})
    expect(failing(report)).toEqual(['VI', 'VIII'])
    const state = check(report, 'VI', 'stateless')!
    expect(state.evidence).toContain('A /app/data/hits')
    // The ancestors that docker diff also lists (C /app) are not reported as writes of their own.
    expect(state.evidence).not.toContain('C /app')
  })
})

describe('the command', () => {
  it('--json: exit 1, the envelope carries the report', async () => {
    const result = await dk(['twelve-factor', join(fixtures, 'two-ports'), '--json'])
    expect(result.code, result.stderr).toBe(1)
    expect(result.json).toMatchObject({ok: false, command: 'twelve-factor', exitCode: 1})
    expect(result.json.data.ran).toBe(false)
    const vii = result.json.data.factors.find((f: {id: string}) => f.id === 'VII')
    expect(vii.status).toBe('fail')
    expect(vii.checks[0].location).toBe('Dockerfile:8:13')
  })

  it('--image that does not exist: exit 4 with a hint', async () => {
    const result = await dk(['twelve-factor', '--image', 'dkt-twelve-no-such-image:1', '--run'])
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/No such image/)
    expect(result.stderr).toMatch(/hint:/)
  })

  it('Ctrl-C during --run removes the containers it started and exits 130', async (ctx) => {
    if (!engine) return ctx.skip()
    const image = await buildImage(engine, {dir: join(fixtures, 'sigterm-ignored'), labels, lint: false})
    const child = spawn(process.execPath, [dkBin, 'twelve-factor', '--image', image.id, '--run'], {env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    const mine = async () => (await engine!.docker.listContainers({all: true, filters: JSON.stringify({ancestor: [image.id], label: [Label.run]})})).length
    // Interrupt once its two replicas exist (the stop check of this app takes 3 s, so there is time).
    for (let i = 0; i < 100 && (await mine()) < 2; i++) await new Promise((r) => setTimeout(r, 100))
    expect(await mine()).toBeGreaterThanOrEqual(2)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(await mine()).toBe(0)
  })
})
