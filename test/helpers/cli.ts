/**
 * Run the built CLI (bin/run.js → dist/) as a user would, and read its --json envelope.
 * The cli suite needs `npm run build` first (scripts/test.sh does it).
 */
import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const dkBin = join(repoRoot, 'bin', 'run.js')

export interface DkResult {
  code: number
  stdout: string
  stderr: string
  /** The parsed stdout when it is JSON, else undefined. */
  json?: any
}

export interface DkRunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  input?: string | Buffer
  timeoutMs?: number
  /** Options for node itself, before bin/run.js (e.g. --import a preload). */
  nodeArgs?: string[]
}

/** Spawn `node bin/run.js ...args`; never throws on a non-zero exit. */
export function dk(args: string[], options: DkRunOptions = {}): Promise<DkResult> {
  return new Promise((resolve, reject) => {
    // vitest sets NODE_ENV=test, which makes oclif look for TypeScript sources: run as users do.
    // A key set to undefined in options.env removes it (e.g. NO_COLOR to test colour).
    const env: NodeJS.ProcessEnv = {...process.env, NODE_ENV: 'production', NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env}
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), dkBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b) => out.push(b))
    child.stderr.on('data', (b) => err.push(b))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const stdout = Buffer.concat(out).toString('utf8')
      let json: unknown
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined
      } catch {
        json = undefined
      }
      resolve({code: code ?? (signal ? 128 : 1), stdout, stderr: Buffer.concat(err).toString('utf8'), json})
    })
    child.stdin.end(options.input ?? '')
  })
}
