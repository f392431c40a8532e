/**
 * The fast path (src/cli/fast-path.ts) against oclif, side by side: every command line below runs
 * once as users run it and once with DK_NO_FAST_PATH=1, and stdout, stderr and the exit code must be
 * identical. Rows cover each flag form, --json, usage errors, missing files and standard input; no
 * engine answers here (DOCKER_HOST points nowhere), the engine suite has the rows that need one.
 * A last group checks that the fast path really ran: no @oclif/core module was loaded.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {afterAll, describe, expect, it} from 'vitest'

import {dk, type DkRunOptions} from '../helpers/cli.js'

const NOWHERE = 'unix:///nonexistent/dkt-fast-path.sock'
const work = mkdtempSync(join(tmpdir(), 'dkt-fast-path-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const MEMCACHED = 'FROM ubuntu:wily\nMAINTAINER Jane <jane@example.com>\nRUN apt-get update -qq\nRUN apt-get install -q -y memcached\nCMD ["memcached", "-u", "daemon"]\nEXPOSE 11211\n'
const CLEAN = 'FROM busybox:1.35\nCMD ["httpd", "-f", "-p", "8080"]\nEXPOSE 8080\n'
writeFileSync(join(work, 'Dockerfile'), MEMCACHED)
writeFileSync(join(work, 'clean.Dockerfile'), CLEAN)
writeFileSync(join(work, 'broken.Dockerfile'), 'FROM busybox\nRUN <<EOF\necho\n')
writeFileSync(join(work, 'bad.yaml'), 'ignored: [DK101]\nseverity: high\n')
mkdirSync(join(work, 'ctx'))
writeFileSync(join(work, 'ctx', 'Dockerfile'), CLEAN)
writeFileSync(join(work, 'not-a-tar'), 'hello\n')

interface Row {
  args: string[]
  input?: string
  env?: NodeJS.ProcessEnv
  /** Called before each of the two runs (for commands that change files). */
  prepare?: () => void
}

const row = (args: string[], extra: Omit<Row, 'args'> = {}): Row => ({args, ...extra})
const fixable = join(work, 'fix.Dockerfile')
const resetFixable = () => writeFileSync(fixable, 'FROM busybox:1.35\nMAINTAINER someone\nRUN apt-get install -y curl\nEXPOSE 80\n')

const rows: Record<string, Row[]> = {
  lint: [
    row(['lint', 'clean.Dockerfile']),
    row(['lint', 'Dockerfile']),
    row(['lint', '--json', 'Dockerfile']),
    row(['lint', 'Dockerfile', '--json']),
    row(['lint', '-f', 'json', 'Dockerfile']),
    row(['lint', '-fjson', 'Dockerfile']),
    row(['lint', '--format=sarif', 'Dockerfile']),
    row(['lint', '--format', 'checkstyle', 'Dockerfile', 'clean.Dockerfile']),
    row(['lint', '-f', 'github', '.']),
    row(['lint', 'Dockerfile', '--ignore', 'DK202', '--ignore', 'DK203']),
    row(['lint', '--ignore', 'DK202', 'Dockerfile']),
    row(['lint', '--ignore', 'NOPE', '--', 'Dockerfile']),
    row(['lint', '-t', 'error', 'Dockerfile']),
    row(['lint', '--failure-threshold=info', '--no-fail', 'Dockerfile']),
    row(['lint', '--profile', 'deis', 'clean.Dockerfile']),
    row(['lint', '-c', 'bad.yaml', 'Dockerfile']),
    row(['lint', '--config', 'missing.yaml', 'Dockerfile']),
    row(['lint', 'broken.Dockerfile']),
    row(['lint', 'missing.Dockerfile']),
    row(['lint', 'missing.Dockerfile', '--json']),
    row(['lint', '-'], {input: MEMCACHED}),
    row(['lint', '-', '--json'], {input: CLEAN}),
    row(['lint', '--explain', 'DK105']),
    row(['lint', '--explain', 'NOPE']),
    row(['lint', '--explain', 'DK105', '--json']),
    row(['lint', '--list-rules']),
    row(['lint', 'Dockerfile', 'Dockerfile', 'clean.Dockerfile']),
    row(['lint', '--fix-dry-run', 'fix.Dockerfile'], {prepare: resetFixable}),
    row(['lint', '--fix', 'fix.Dockerfile'], {prepare: resetFixable}),
    row(['lint', 'Dockerfile', '--', '--json']),
    row(['lint', 'Dockerfile'], {env: {DK_CONTENT_TYPE: 'json'}}),
    row(['lint', 'missing.Dockerfile'], {env: {DEBUG: 'dk'}}),
    // Declined (oclif on both sides), to show that the handover is seamless.
    row(['lint']),
    row(['lint', '--jsn', 'Dockerfile']),
    row(['lint', '-f', 'yaml', 'Dockerfile']),
    row(['lint', '--format', 'json', '--format', 'sarif', 'Dockerfile']),
    row(['lint', '--help']),
  ],
  save: [
    row(['save', '-o', 'x.tar', 'busybox']),
    row(['save', '-ox.tar', '--json', 'busybox']),
    row(['save', '--output=x.tar', '--gzip', 'busybox', 'debian:bookworm']),
    row(['save', '-H', NOWHERE, '-o', 'x.tar', 'busybox', '--json']),
    row(['save', '--host=tcp://127.0.0.1:1', '-o', 'x.tar', 'busybox']),
    row(['save', 'busybox']),
    row(['save', '--json', 'busybox']),
    row(['save', '--json', '-o', '-', 'busybox']),
    row(['save', '-o', 'x.tar', '--', 'busybox']),
    row(['save']),
    row(['save', '-o']),
    row(['save', '--gzip=yes', 'busybox']),
    row(['save', '-h']),
    row(['save', '--help']),
  ],
  load: [
    row(['load', '-i', 'missing.tar']),
    row(['load', '-i', 'not-a-tar', '--json']),
    row(['load', '-q', '-inot-a-tar']),
    row(['load', '--input=-', '-q'], {input: 'not a tar\n'}),
    row(['load'], {input: ''}),
    row(['load', '-H', NOWHERE, '--json']),
    row(['load', 'extra.tar']),
    row(['load', '-qi', 'x.tar']),
    row(['load', '--no-quiet']),
  ],
  build: [
    row(['build', 'ctx']),
    row(['build', '-t', 'a', '-t', 'b', '--build-arg', 'A=1', '--label', 'k=v', 'ctx']),
    row(['build', '--build-arg', '=oops', 'ctx']),
    row(['build', '--json', '-t', 'web', 'ctx']),
    row(['build', '-q', '--no-lint', '--iidfile', join(work, 'id'), 'ctx']),
    row(['build', '-f', '-', 'ctx'], {input: CLEAN}),
    row(['build', '-f', 'Dockerfile', 'ctx']),
    row(['build', '-f', 'missing.Dockerfile', 'ctx']),
    row(['build', 'missing-dir']),
    row(['build', '-f', '-'], {input: CLEAN}),
    row(['build', 'a', 'b']),
    row(['build', '--nocache', 'ctx']),
    row(['build', '-t']),
  ],
}

async function both(r: Row) {
  const options = (env: NodeJS.ProcessEnv): DkRunOptions => ({cwd: work, input: r.input, env: {DOCKER_HOST: NOWHERE, ...r.env, ...env}})
  const run = async (env: NodeJS.ProcessEnv) => {
    r.prepare?.()
    const result = await dk(r.args, options(env))
    return {...result, json: undefined, file: r.prepare ? readFileSync(fixable, 'utf8') : undefined}
  }
  // Rows that change a file run one side after the other; the rest side by side.
  if (r.prepare) return {fast: await run({}), oclif: await run({DK_NO_FAST_PATH: '1'})}
  const [fast, oclif] = await Promise.all([run({}), run({DK_NO_FAST_PATH: '1'})])
  return {fast, oclif}
}

for (const [command, list] of Object.entries(rows)) {
  describe(`dk ${command}: the fast path prints what oclif prints`, () => {
    it.each(list.map((r) => [r.args.slice(1).join(' ') || '(no arguments)', r] as const))('%s', async (_name, r) => {
      const {fast, oclif} = await both(r)
      expect(fast).toEqual(oclif)
    })
  })
}

describe('the fast path does not load oclif', () => {
  // A preload that lists, at exit, every CommonJS module the process loaded (oclif and dockerode are
  // CommonJS; dk's own modules are ESM and do not show).
  const preload = join(work, 'loaded-modules.mjs')
  writeFileSync(
    preload,
    `import {createRequire} from 'node:module'\nimport {writeFileSync} from 'node:fs'\nconst require = createRequire(import.meta.url)\nprocess.on('exit', () => writeFileSync(process.env.DKT_LOADED, Object.keys(require.cache).join('\\n')))\n`,
  )
  const loaded = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const out = join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`)
    const result = await dk(args, {cwd: work, nodeArgs: ['--import', pathToFileURL(preload).href], env: {DOCKER_HOST: NOWHERE, DKT_LOADED: out, ...env}})
    return {result, modules: readFileSync(out, 'utf8')}
  }

  it.each([
    [['lint', 'clean.Dockerfile']],
    [['lint', '--json', 'Dockerfile']],
    [['save', '-o', 'x.tar', 'busybox']],
    [['load', '-i', 'not-a-tar']],
    [['build', '-q', 'ctx']],
  ])('%j', async (args) => {
    const {modules} = await loaded(args)
    expect(modules).not.toContain('@oclif/core')
    if (args[0] === 'lint') expect(modules).not.toContain('dockerode')
  })

  it('loads oclif when told to (DK_NO_FAST_PATH=1), when it declines (--help) or when user plugins may exist', async () => {
    expect((await loaded(['lint', 'clean.Dockerfile'], {DK_NO_FAST_PATH: '1'})).modules).toContain('@oclif/core')
    expect((await loaded(['lint', '--help'])).modules).toContain('@oclif/core')
    const data = join(work, 'data')
    mkdirSync(data)
    writeFileSync(join(data, 'package.json'), '{"private": true}\n')
    expect((await loaded(['lint', 'clean.Dockerfile'], {DK_DATA_DIR: data})).modules).toContain('@oclif/core')
  })
})
