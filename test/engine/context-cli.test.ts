/**
 * `dk context` as a user runs it: the built CLI (bin/run.js, build first) on the workshop example,
 * its --json envelope and exit codes, and `--tar -` compared byte for byte with the docker CLI's
 * upload of the same context (recorded by bench/context.recorder.mjs; nothing is built).
 */
import {execFileSync, spawn} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

// @ts-expect-error plain ESM helper shared with the benchmark
import {startRecorder} from '../../bench/context.recorder.mjs'
import {dk, dkBin, repoRoot} from '../helpers/cli.js'

const hasDocker = (() => {
  try {
    execFileSync('docker', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    if (process.env.CI) throw new Error('CI is set but the docker CLI is missing')
    return false
  }
})()

let root: string
let workshop: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dkt-context-cli-'))
  workshop = join(root, 'workshop')
  cpSync(join(repoRoot, 'test', 'fixtures', 'context', 'workshop'), workshop, {recursive: true})
  execFileSync(process.execPath, [join(workshop, 'make-large-files.mjs')])
})

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

/** Run the CLI and keep stdout as bytes (the tar is binary). */
function dkBytes(args: string[], cwd = repoRoot): Promise<{code: number; stdout: Buffer; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [dkBin, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => (stderr += b))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, stdout: Buffer.concat(out), stderr}))
  })
}

describe('dk context (built CLI)', () => {
  it('reports on the workshop example: what is sent, what is excluded, and what to fix', async () => {
    const r = await dk(['context', workshop, '--json'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, command: 'context', exitCode: 0})
    const data = r.json.data
    expect(data.excludedDirs[0]).toEqual({path: 'junk', entries: 1022})
    expect(data.largestFiles[0]).toEqual({path: 'site/intro.mp4', size: 60_000_000})
    expect(data.warnings.map((w: {kind: string; fix: string}) => [w.kind, w.fix])).toEqual([
      ['env', 'secrets/.env'],
      ['private-key', 'secrets/id_rsa'],
      ['large-file', 'site/intro.mp4'],
    ])
    const text = await dk(['context', workshop])
    expect(text.stdout).toContain('fix: add to .dockerignore: secrets/id_rsa')
  })

  it('--tar - writes exactly the bytes the docker CLI uploads, and as many as the report announces', async () => {
    const report = (await dk(['context', workshop, '--json'])).json.data
    const mine = await dkBytes(['context', workshop, '--tar', '-'])
    expect(mine.code).toBe(0)
    expect(mine.stdout.length).toBe(report.tarBytes)
    if (!hasDocker) return
    const recorder = await startRecorder({keep: true})
    try {
      const result = await recorder.dockerBuild([workshop], {tag: 'dkt-context-cli-workshop'})
      expect(result.upload, result.stderr).toBeDefined()
      expect(Buffer.compare(mine.stdout, result.upload.body)).toBe(0)
    } finally {
      await recorder.close()
    }
  })

  it('--list prints sorted entries with escaped control characters; --why names the line', async () => {
    const dir = join(root, 'names')
    mkdirSync(join(dir, 'sub'), {recursive: true})
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\n')
    writeFileSync(join(dir, 'new\nline'), '')
    writeFileSync(join(dir, '.dockerignore'), 'sub\n')
    const list = await dk(['context', dir, '--list'])
    expect(list.stdout).toBe('.dockerignore\nDockerfile\nnew\\nline\n')
    const why = await dk(['context', dir, '--why', 'sub', '--json'])
    expect(why.json.data).toMatchObject({verdict: 'excluded', decidedBy: {line: 1, text: 'sub'}})
  })

  it('exits 1 with Docker\'s reason and the line for a context Docker refuses', async () => {
    const dir = join(root, 'bad')
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\n')
    writeFileSync(join(dir, '.dockerignore'), '# ok\nsub/[\n')
    const r = await dk(['context', dir, '--json'])
    expect(r.code).toBe(1)
    expect(r.json.error).toMatchObject({code: 'CONTEXT_REFUSED', location: `${join(dir, '.dockerignore')}:2`})
    expect(r.json.error.message).toContain('error checking context: syntax error in pattern')
    const text = await dk(['context', dir])
    expect(text.code).toBe(1)
    expect(text.stderr).toContain('.dockerignore:2: error checking context: syntax error in pattern')
    expect(text.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 4 for a missing directory and 2 for --tar - with --json', async () => {
    expect((await dk(['context', join(root, 'nope')])).code).toBe(4)
    expect((await dk(['context', workshop, '--tar', '-', '--json'])).code).toBe(2)
  })

  it('writes --tar FILE atomically', async () => {
    const file = join(root, 'ctx.tar')
    const r = await dk(['context', workshop, '--tar', file, '--json'])
    expect(r.code).toBe(0)
    expect(r.json.data).toEqual({file, bytes: (await dk(['context', workshop, '--json'])).json.data.tarBytes})
    const missingDir = await dk(['context', workshop, '--tar', join(root, 'no', 'dir', 'x.tar')])
    expect(missingDir.code).toBe(4)
  })
})
