/**
 * build-context.md §4 with real permissions: unreadable files and directories, checked against the
 * docker CLI. Root reads everything, so both the docker CLI and the built dk run as `nobody`
 * (setpriv); the test needs root, setpriv and a build (`npx tsc -p tsconfig.json`), and skips otherwise.
 */
import {execFileSync, spawn} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

// @ts-expect-error plain ESM helper shared with the benchmark
import {startRecorder} from '../../bench/context.recorder.mjs'
import {dkBin, repoRoot} from '../helpers/cli.js'

const usable = (() => {
  if (process.getuid?.() !== 0) return false
  try {
    execFileSync('setpriv', ['--version'], {stdio: 'ignore'})
    execFileSync('docker', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups']
let root: string
let recorder: Awaited<ReturnType<typeof startRecorder>>

beforeAll(async () => {
  if (!usable) return
  root = mkdtempSync(join(tmpdir(), 'dkt-context-perm-'))
  chmodSync(root, 0o777)
  recorder = await startRecorder({keep: true})
  chmodSync(dirname(recorder.socket), 0o755)
  chmodSync(recorder.socket, 0o777)
})

afterAll(async () => {
  await recorder?.close()
  if (root) {
    execFileSync('chmod', ['-R', 'u+rwx', root])
    rmSync(root, {recursive: true, force: true})
  }
})

function asNobody(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stdout: Buffer; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('setpriv', [...NOBODY, command, ...args], {cwd: repoRoot, env: {...env, HOME: root}, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => (stderr += b))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, stdout: Buffer.concat(out), stderr}))
  })
}

type Setup = (dir: string) => void
const cases: Array<[string, Setup]> = [
  ['unreadable included file', (d) => {
    writeFileSync(join(d, 'secret'), 'x')
    chmodSync(join(d, 'secret'), 0)
  }],
  ['unreadable file, excluded', (d) => {
    writeFileSync(join(d, 'secret'), 'x')
    chmodSync(join(d, 'secret'), 0)
    writeFileSync(join(d, '.dockerignore'), 'secret\n')
  }],
  ['unreadable directory, excluded itself', (d) => {
    mkdirSync(join(d, 'locked'), {mode: 0})
    writeFileSync(join(d, '.dockerignore'), 'locked\n')
  }],
  ['unreadable directory inside an excluded parent', (d) => {
    mkdirSync(join(d, 'out', 'locked'), {recursive: true})
    chmodSync(join(d, 'out', 'locked'), 0)
    writeFileSync(join(d, '.dockerignore'), 'out\n')
  }],
  ['readable but not searchable directory', (d) => {
    mkdirSync(join(d, 'noexec'))
    writeFileSync(join(d, 'noexec', 'f'), 'y')
    chmodSync(join(d, 'noexec'), 0o444)
  }],
  ['unreadable directory walked into for an exception', (d) => {
    mkdirSync(join(d, 'out', 'locked'), {recursive: true})
    writeFileSync(join(d, 'out', 'locked', 'f'), 'z')
    writeFileSync(join(d, 'out', 'g'), 'g')
    chmodSync(join(d, 'out', 'locked'), 0)
    writeFileSync(join(d, '.dockerignore'), 'out\n!out/locked/f\n!out/g\n')
  }],
]

describe.skipIf(!usable)('unreadable files and directories, as nobody, vs the docker CLI', () => {
  it.each(cases)('%s', async (name, setup) => {
    const dir = join(root, name.replaceAll(' ', '-'))
    mkdirSync(dir)
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\n')
    setup(dir)
    const before = recorder.uploads.length
    const docker = await asNobody('docker', ['build', '-q', dir], {...recorder.env, DOCKER_CONFIG: join(root, 'docker-config')})
    const dkJson = await asNobody(process.execPath, [dkBin, 'context', dir, '--json'], {...process.env, NO_COLOR: '1'})
    const envelope = JSON.parse(dkJson.stdout.toString())
    const refusal = /error checking context: .*/.exec(docker.stderr)?.[0]
    if (refusal) {
      expect(envelope.exitCode).toBe(1)
      expect(envelope.error.message).toBe(refusal)
      return
    }
    expect(envelope.exitCode).toBe(0)
    expect(recorder.uploads.length, docker.stderr).toBe(before + 1)
    const upload = recorder.uploads[before]
    const tar = await asNobody(process.execPath, [dkBin, 'context', dir, '--tar', '-'], {...process.env, NO_COLOR: '1'})
    expect(Buffer.compare(tar.stdout, upload.body)).toBe(0)
  })
})
