/**
 * The fast path (src/cli/fast-path.ts) against oclif with a real engine: dk build, save and load of
 * a small busybox-based image, each command line run once as users run it and once with
 * DK_NO_FAST_PATH=1; stdout, stderr, the exit code and the files written must be the same. Timings
 * (durations, transfer rates) are the only thing masked. Every build row is built once before the
 * comparison, so that both sides hit the cache and print the same lines.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {dk, type DkResult} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine} from '../helpers/engine.js'

const SUITE = 'fast-path.test'
const REPO = `dkt-fast-path-${process.pid}`
const LABEL = `LABEL io.dk.test=${SUITE}`
const DOCKERFILE = `FROM busybox:latest\n${LABEL}\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\nEXPOSE 8080\n`
let engine: Engine | undefined
let work: string
let ctx: string

beforeAll(async () => {
  engine = await maybeEngine()
  if (!engine) return
  work = mkdtempSync(join(tmpdir(), 'dkt-fast-path-'))
  ctx = join(work, 'ctx')
  mkdirSync(ctx)
  writeFileSync(join(ctx, 'Dockerfile'), DOCKERFILE)
  writeFileSync(join(ctx, 'hello.txt'), 'hello\n')
  writeFileSync(join(work, 'lint-error.Dockerfile'), `FROM busybox\n${LABEL}\nCMD ['sh']\n`)
  writeFileSync(join(work, 'missing-base.Dockerfile'), `FROM dkt-no-such-base:${process.pid}\n${LABEL}\n`)
  const first = await dk(['build', '-q', '-t', `${REPO}:one`, ctx])
  if (first.code !== 0) throw new Error(`could not build the test image: ${first.stderr}`)
})

afterAll(async () => {
  if (!engine) return
  await cleanupTestObjects(engine.docker, SUITE)
  for (const tag of ['one', 'two']) await engine.docker.getImage(`${REPO}:${tag}`).remove({force: true}).catch(() => undefined)
  rmSync(work, {recursive: true, force: true})
})

/** Mask what differs from one run to the next however it is started: elapsed time and rates. */
function masked(result: DkResult, file?: string) {
  const mask = (text: string) =>
    text
      .replaceAll(/"durationMs":\d+/g, '"durationMs":0')
      .replaceAll(/\d+(\.\d+)?[kMGT]?B\/s/g, 'RATE')
      .replaceAll(/in \d+\.\ds/g, 'in TIME')
  const written = file && existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : undefined
  return {code: result.code, stdout: mask(result.stdout), stderr: mask(result.stderr), written}
}

interface Row {
  args: () => string[]
  input?: () => string | Buffer
  /** A file the command writes: removed before each side, its bytes compared after. */
  output?: () => string
}

async function compare(row: Row) {
  const side = async (env: NodeJS.ProcessEnv) => {
    const file = row.output?.()
    if (file) rmSync(file, {force: true})
    const result = await dk(row.args(), {cwd: work, input: row.input?.(), env})
    return masked(result, file)
  }
  // A build the cache has not seen yet prints "Running in <container>": build once first.
  if (row.args()[0] === 'build') await side({DK_NO_FAST_PATH: '1'})
  const fast = await side({})
  const oclif = await side({DK_NO_FAST_PATH: '1'})
  expect(fast).toEqual(oclif)
  return fast
}

const archive = () => join(work, 'one.tar')

describe('dk build/save/load: the fast path prints what oclif prints (real engine)', () => {
  const rows: Array<[string, Row, number]> = [
    ['build -t', {args: () => ['build', '-t', `${REPO}:one`, '-t', `${REPO}:two`, ctx]}, 0],
    ['build -q --no-lint --iidfile', {args: () => ['build', '-q', '--no-lint', '--iidfile', join(work, 'iid'), ctx], output: () => join(work, 'iid')}, 0],
    ['build --json', {args: () => ['build', '--json', '-t', `${REPO}:one`, ctx]}, 0],
    ['build -f -', {args: () => ['build', '-q', '-f', '-', ctx], input: () => DOCKERFILE}, 0],
    ['build --label --build-arg', {args: () => ['build', '--label', `io.dk.test=${SUITE}`, '--build-arg', 'UNUSED=1', ctx]}, 0],
    ['build: lint errors', {args: () => ['build', '-f', join(work, 'lint-error.Dockerfile'), ctx]}, 1],
    ['build: a missing base image', {args: () => ['build', '--no-lint', '-f', join(work, 'missing-base.Dockerfile'), ctx]}, 4],
    ['save -o', {args: () => ['save', '-o', archive(), `${REPO}:one`], output: archive}, 0],
    ['save --gzip --json', {args: () => ['save', '--gzip', '--json', `--output=${join(work, 'one.tar.gz')}`, `${REPO}:one`], output: () => join(work, 'one.tar.gz')}, 0],
    ['save -o - (stdout)', {args: () => ['save', '-o', '-', `${REPO}:one`]}, 0],
    ['save: a missing image', {args: () => ['save', '-o', join(work, 'missing.tar'), `${REPO}:one`, `dkt-no-such-image:${process.pid}`], output: () => join(work, 'missing.tar')}, 4],
    ['load -i', {args: () => ['load', '-i', archive()]}, 0],
    ['load -q --json', {args: () => ['load', '-q', '--json', `-i${archive()}`]}, 0],
    ['load from stdin', {args: () => ['load'], input: () => readFileSync(archive())}, 0],
    ['load gzip', {args: () => ['load', '-q', '-i', join(work, 'one.tar.gz')]}, 0],
    ['load: not an archive', {args: () => ['load', '-i', join(ctx, 'hello.txt')]}, 1],
    // Shorter than the 1 KiB dk peeks at: the stream has ended by then (this used to hang).
    ['load: a cut-off gzip from stdin', {args: () => ['load'], input: () => readFileSync(join(work, 'one.tar.gz')).subarray(0, 100)}, 1],
  ]

  it.each(rows)('%s', async (_name, row, code) => {
    if (!engine) return
    const result = await compare(row)
    expect(result.code, result.stderr).toBe(code)
  })
})
