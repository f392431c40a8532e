/**
 * `dk build` / buildImage against the real engine (classic builder): success with tags, labels and
 * build args; the context size as the docker CLI reports it; a failing RUN; a missing base image; lint
 * errors; a Dockerfile from stdin and from outside the context; --target; and Ctrl-C during a RUN.
 * Every Dockerfile labels its images right after FROM, so intermediate and dangling images of this
 * file carry `io.dk.test` too and cleanupTestObjects removes them.
 */
import {execFileSync, spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DkError} from '../../src/cli/errors.js'
import {buildImage, type BuildEvent} from '../../src/engine/build.js'
import type {Engine} from '../../src/engine/connect.js'
import {dk, dkBin} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine} from '../helpers/engine.js'

const SUITE = 'build.test'
const NAME = `dkt-build-${process.pid}`
const LABEL = `LABEL io.dk.test=${SUITE}`
let engine: Engine | undefined
let work: string

function context(name: string, files: Record<string, string>): string {
  const dir = join(work, name)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), {recursive: true})
    writeFileSync(join(dir, file), content)
  }
  return dir
}

beforeAll(async () => {
  engine = await maybeEngine()
  work = mkdtempSync(join(tmpdir(), 'dkt-build-'))
})

afterAll(async () => {
  if (engine) await cleanupTestObjects(engine.docker, SUITE)
  rmSync(work, {recursive: true, force: true})
})

describe('buildImage', () => {
  it('builds with tags, labels and build args, and reports steps and the context size', async ({skip}) => {
    if (!engine) return skip('no engine')
    const dir = context('ok', {
      Dockerfile: `FROM busybox:latest\n${LABEL}\nARG GREETING\nRUN echo "say $GREETING" > /greeting && cat /greeting\nCOPY app/ /app/\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080", "-h", "/app"]\n`,
      '.dockerignore': 'secret.txt\n',
      'app/index.html': '<h1>hi</h1>\n',
      'secret.txt': 'not sent\n',
    })
    const events: BuildEvent[] = []
    const result = await buildImage(engine, {dir, tags: [`${NAME}:ok`, `${NAME}:also`], buildArgs: {GREETING: 'hello'}, labels: {purpose: 'build-test'}}, (e) => events.push(e))

    expect(result.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(result.tags).toEqual([`${NAME}:ok`, `${NAME}:also`])
    // The classic builder turns the build's labels (dk's and ours) into trailing LABEL steps.
    expect(result.steps.slice(7).every((s) => s.instruction.startsWith('LABEL '))).toBe(true)
    expect(result.steps.slice(0, 7).map((s) => s.instruction)).toEqual([
      'FROM busybox:latest',
      LABEL,
      'ARG GREETING',
      'RUN echo "say $GREETING" > /greeting && cat /greeting',
      'COPY app/ /app/',
      'EXPOSE 8080',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/app"]',
    ])
    expect(events).toContainEqual({type: 'output', text: 'say hello', stderr: false})
    expect(events.filter((e) => e.type === 'upload' && e.done)).toHaveLength(1)

    const image = await engine.docker.getImage(`${NAME}:ok`).inspect()
    expect(image.Id).toBe(result.id)
    expect(image.Config.Labels).toMatchObject({'io.dk.managed': 'true', purpose: 'build-test', 'io.dk.test': SUITE})
    expect(image.Config.ExposedPorts).toEqual({'8080/tcp': {}})

    // The same context through the docker CLI's classic builder: same bytes on the wire.
    const docker = execFileSync('docker', ['build', '-q', '--no-cache', '.'], {cwd: dir, env: {...process.env, DOCKER_BUILDKIT: '0'}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    const theirId = docker.trim().split('\n').at(-1)!
    const verbose = execFileSync('docker', ['build', '.'], {cwd: dir, env: {...process.env, DOCKER_BUILDKIT: '0'}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    const sent = /Sending build context to Docker daemon\s+(\S+)/.exec(verbose)![1]
    const {dockerContextSize} = await import('../../src/engine/build-stream.js')
    expect(dockerContextSize(result.contextBytes).trim()).toBe(sent)
    await engine.docker.getImage(theirId).remove({force: true}).catch(() => undefined)
  })

  it('fails on a failing RUN with the step, its command, exit status and last lines (HTTP 200 stream)', async ({skip}) => {
    if (!engine) return skip('no engine')
    const dir = context('fail', {Dockerfile: `FROM busybox\n${LABEL}\nRUN echo first && echo second >&2 && exit 7\nRUN echo never\n`})
    const error = await buildImage(engine, {dir, lint: false}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DkError)
    expect(error).toMatchObject({
      exitCode: 1,
      code: 'BUILD_FAILED',
      message: 'Step 3 failed: `RUN echo first && echo second >&2 && exit 7` exited with status 7.',
      details: {step: 3, command: 'RUN echo first && echo second >&2 && exit 7', exitCode: 7},
    })
    expect([...(error as DkError).details!.lastLines as string[]].sort()).toEqual(['first', 'second'])
  })

  it('stops before sending when a base image is not local (exit 4, with the FROM location)', async ({skip}) => {
    if (!engine) return skip('no engine')
    const dir = context('missing', {Dockerfile: `ARG TAG=9.9\nFROM busybox AS ok\nFROM dkt-build-absent:$TAG\n${LABEL}\n`})
    const events: BuildEvent[] = []
    const error = await buildImage(engine, {dir, lint: false}, (e) => events.push(e)).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 4, code: 'BASE_IMAGE_MISSING', location: 'Dockerfile:3:6', message: expect.stringContaining('dkt-build-absent:9.9')})
    expect((error as DkError).hint).toMatch(/dk setup.*dk load/)
    expect(events.filter((e) => e.type === 'upload')).toEqual([])
    // --target stops before the missing stage, so the same Dockerfile builds.
    const result = await buildImage(engine, {dir, lint: false, target: 'ok', labels: {'io.dk.test': SUITE}})
    expect(result.steps.map((s) => s.instruction).slice(0, 2)).toEqual(['ARG TAG=9.9', 'FROM busybox AS ok'])

    const none = await buildImage(engine, {dir: context('empty', {'README': 'no Dockerfile here\n'})}).catch((e: unknown) => e)
    expect(none).toMatchObject({exitCode: 4, message: `Dockerfile not found: ${join(work, 'empty', 'Dockerfile')}`})
  })
})

describe('dk build (CLI)', () => {
  it('prints Docker-like lines, writes --iidfile, takes -f outside the context and -f -', async ({skip}) => {
    if (!engine) return skip('no engine')
    const dir = context('cli', {'file.txt': 'x\n'})
    const outside = join(work, 'elsewhere.Dockerfile')
    writeFileSync(outside, `FROM busybox\n${LABEL}\nCOPY file.txt /\nCMD ["cat", "/file.txt"]\n`)
    const iid = join(work, 'image.id')
    const result = await dk(['build', '-f', outside, '-t', `${NAME}:cli`, '--iidfile', iid, '--label', `io.dk.test=${SUITE}`, dir])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^Sending build context to Docker daemon {2}\S+$/m)
    expect(result.stdout).toMatch(/^Step 3\/\d+ : COPY file.txt \/$/m)
    expect(result.stdout).toMatch(new RegExp(`^Successfully tagged ${NAME}:cli$`, 'm'))
    const id = readFileSync(iid, 'utf8')
    expect((await engine.docker.getImage(`${NAME}:cli`).inspect()).Id).toBe(id)

    const stdin = await dk(['build', '-f', '-', '--json', '--label', `io.dk.test=${SUITE}`, dir], {input: `FROM busybox\n${LABEL}\nCOPY file.txt /copied\n`})
    expect(stdin.code, stdin.stderr).toBe(0)
    expect(stdin.json.data).toMatchObject({id: expect.stringMatching(/^sha256:/), tags: [], contextBytes: expect.any(Number), steps: expect.any(Array), warnings: expect.any(Array)})
    expect(Object.keys(stdin.json.data).sort()).toEqual(['contextBytes', 'durationMs', 'id', 'steps', 'tags', 'warnings'])
  })

  it('exits 1 on lint errors unless --no-lint, and 1 with the failing step on a failing RUN', async ({skip}) => {
    if (!engine) return skip('no engine')
    const dir = context('lint', {Dockerfile: `FROM busybox\n${LABEL}\nCMD ['sh']\n`})
    const linted = await dk(['build', dir])
    expect(linted.code).toBe(1)
    expect(linted.stderr).toMatch(/Dockerfile:3:5 error DK105/)
    expect(linted.stderr).not.toContain('Sending build context')
    const forced = await dk(['build', '--no-lint', '-q', dir])
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/)

    const failing = context('cli-fail', {Dockerfile: `FROM busybox\n${LABEL}\nRUN echo boom >&2; exit 3\n`})
    const failed = await dk(['build', '--no-lint', failing])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('boom')
    expect(failed.stderr).toContain('Step 3 failed: `RUN echo boom >&2; exit 3` exited with status 3.')
  })

  it('Ctrl-C during a RUN exits 130 and leaves no intermediate container', async ({skip}) => {
    if (!engine) return skip('no engine')
    const dir = context('slow', {Dockerfile: `FROM busybox\n${LABEL}\nRUN echo started && sleep 60\n`})
    const child = spawn(process.execPath, [dkBin, 'build', '--no-lint', '--no-cache', dir], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (b) => (stderr += b))
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (b) => {
        stdout += b
        if (stdout.includes('started\n')) resolve()
      }),
    )
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    await Promise.race([started, exited])
    // The last "Running in": earlier steps (LABEL) ran and removed containers of their own.
    const containerId = [...stdout.matchAll(/Running in ([0-9a-f]+)/g)].at(-1)?.[1]
    expect(containerId, stdout + stderr).toBeDefined()
    expect((await engine.docker.getContainer(containerId!).inspect()).State.Running).toBe(true)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toContain('Build interrupted')
    const gone = await engine.docker
      .getContainer(containerId!)
      .inspect()
      .then(() => false)
      .catch((error: {statusCode?: number}) => error.statusCode === 404)
    expect(gone).toBe(true)
  })
})
