import {chmod, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {dk} from '../helpers/cli.js'

const MEMCACHED = 'FROM ubuntu:wily\nMAINTAINER Jane <jane@example.com>\nRUN apt-get update -qq\nRUN apt-get install -q -y memcached\nCMD ["memcached", "-u", "daemon"]\nEXPOSE 11211\n'
const CLEAN = 'FROM busybox:1.35\nCMD ["httpd", "-f", "-p", "8080"]\nEXPOSE 8080\n'

describe('dk lint', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dk-cli-lint-'))
    await writeFile(join(dir, 'Dockerfile'), MEMCACHED)
    await writeFile(join(dir, 'clean.Dockerfile'), CLEAN)
    await writeFile(join(dir, 'broken.Dockerfile'), 'FROM busybox\nRUN <<EOF\necho\n')
    await writeFile(join(dir, 'bad.yaml'), 'ignored: [DK101]\nseverity: high\n')
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('exit 0 on a clean file, with a stylish summary', async () => {
    const r = await dk(['lint', 'clean.Dockerfile'], {cwd: dir})
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/no problems/)
    expect(r.code).toBe(0)
  })

  it('exit 1 with findings at or above the threshold; stylish shows source and caret', async () => {
    const r = await dk(['lint', 'Dockerfile', '--ignore', 'DK202'], {cwd: dir})
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('2 | MAINTAINER Jane <jane@example.com>')
    expect(r.stdout).toMatch(/\| \^{10}/)
  })

  it('--failure-threshold error and --no-fail', async () => {
    expect((await dk(['lint', 'clean.Dockerfile', 'Dockerfile', '--failure-threshold', 'error'], {cwd: dir})).code).toBe(0)
    expect((await dk(['lint', 'Dockerfile', '--no-fail'], {cwd: dir})).code).toBe(0)
  })

  it('a file that does not parse exits 1 even with --failure-threshold error', async () => {
    const r = await dk(['lint', 'broken.Dockerfile', '--failure-threshold', 'error', '--format', 'json'], {cwd: dir})
    expect(r.code).toBe(1)
    expect(r.json.map((f: {rule: string}) => f.rule)).toEqual(['DK100'])
  })

  it('--format json prints one bare array in the documented shape', async () => {
    const r = await dk(['lint', 'Dockerfile', '--format', 'json'], {cwd: dir})
    expect(r.code).toBe(1)
    expect(Array.isArray(r.json)).toBe(true)
    const maintainer = r.json.find((f: {line: number}) => f.line === 2)
    expect(Object.keys(maintainer)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'aliases', 'fixable'])
    expect(maintainer.file).toBe('Dockerfile')
  })

  it('--json wraps the report in the envelope and keeps the exit code', async () => {
    const r = await dk(['lint', 'Dockerfile', '--json'], {cwd: dir})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, command: 'lint', exitCode: 1, data: {threshold: 'warning', failed: true}})
    expect(r.json.data.findings.length).toBe(r.json.data.summary.error + r.json.data.summary.warning + r.json.data.summary.info + r.json.data.summary.style)
  })

  for (const format of ['sarif', 'checkstyle', 'github']) {
    it(`--format ${format}`, async () => {
      const r = await dk(['lint', 'Dockerfile', '--format', format], {cwd: dir})
      expect(r.code).toBe(1)
      if (format === 'sarif') expect(JSON.parse(r.stdout).version).toBe('2.1.0')
      if (format === 'checkstyle') expect(r.stdout).toMatch(/^<\?xml[\s\S]*<file name="Dockerfile">/)
      if (format === 'github') expect(r.stdout).toMatch(/^::(warning|error|notice) file=Dockerfile,line=\d+,col=\d+,/m)
    })
  }

  it('reads standard input with -', async () => {
    const r = await dk(['lint', '-', '--format', 'json'], {cwd: dir, input: 'FROM busybox\nSTOPSIGNAL SIGFOO\n'})
    expect(r.json.find((f: {rule: string}) => f.rule === 'DK116')).toMatchObject({file: '<stdin>', line: 2, column: 12})
  })

  it('piped input without - is not taken for a path: ./Dockerfile is linted, on both paths', async () => {
    for (const env of [{}, {DK_NO_FAST_PATH: '1'}]) {
      const r = await dk(['lint', '--format', 'json', '--no-fail'], {cwd: dir, env, input: 'FROM busybox\nSTOPSIGNAL SIGFOO\n'})
      expect(r.code, r.stderr).toBe(0)
      expect(new Set(r.json.map((f: {file: string}) => f.file))).toEqual(new Set(['Dockerfile']))
    }
  })

  it('--ignore takes one value, so a path after it is still a path', async () => {
    const r = await dk(['lint', '--ignore', 'DK201', 'Dockerfile', '--format', 'json', '--no-fail'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const rules = r.json.map((f: {rule: string}) => f.rule)
    expect(rules).not.toContain('DK201')
    expect(rules).toContain('DK304')
  })

  it('a directory is searched recursively', async () => {
    const r = await dk(['lint', '.', '--format', 'json', '--no-fail'], {cwd: dir})
    expect([...new Set(r.json.map((f: {file: string}) => f.file))].sort()).toEqual(['Dockerfile', 'broken.Dockerfile'])
  })

  it('missing file → 4', async () => {
    const r = await dk(['lint', 'nope/Dockerfile'], {cwd: dir})
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/not found: nope\/Dockerfile/)
  })

  it('unknown rule → 2 with a suggestion, in text and in --json', async () => {
    let r = await dk(['lint', 'Dockerfile', '--ignore', 'DK1O1'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Unknown rule 'DK1O1'[\s\S]*Did you mean DK101/)
    r = await dk(['lint', 'Dockerfile', '--ignore', 'DK1O1', '--json'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('UNKNOWN_RULE')
  })

  it('a bad config → 2 naming the file and key', async () => {
    const r = await dk(['lint', 'Dockerfile', '--config', 'bad.yaml'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/bad\.yaml:2:1: Unknown key 'severity'/)
  })

  it('bad flag values → 2', async () => {
    expect((await dk(['lint', '--format', 'xml'], {cwd: dir})).code).toBe(2)
    expect((await dk(['lint', '--failure-threshold', 'fatal'], {cwd: dir})).code).toBe(2)
  })

  it('--fix-dry-run prints a diff and writes nothing; --fix rewrites a copy atomically', async () => {
    const file = join(dir, 'fixme.Dockerfile')
    const before = 'FROM busybox:1.35\nrun echo hi\nCOPY a b /app\nCMD ["sh"]\nEXPOSE 80\n'
    await writeFile(file, before)
    await chmod(file, 0o600)
    const dry = await dk(['lint', 'fixme.Dockerfile', '--fix-dry-run'], {cwd: dir})
    expect(dry.stdout).toContain('--- a/fixme.Dockerfile\n+++ b/fixme.Dockerfile\n')
    expect(dry.stdout).toContain('+COPY a b /app/')
    expect(await readFile(file, 'utf8')).toBe(before)
    const fix = await dk(['lint', 'fixme.Dockerfile', '--fix', '--format', 'json'], {cwd: dir})
    const after = await readFile(file, 'utf8')
    expect(after).toContain('RUN echo hi\nCOPY a b /app/\n')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(fix.json.filter((f: {fixable: boolean}) => f.fixable)).toEqual([])
    expect(fix.stderr).toMatch(/Fixed \d+ problems? in 1 file/)
  })

  it('--explain and --list-rules (+ --json)', async () => {
    let r = await dk(['lint', '--explain', 'invalid-json-form'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/DK105 invalid-json-form[\s\S]*Bad:[\s\S]*Good:/)
    r = await dk(['lint', '--explain', 'hadolint:DL3021', '--json'])
    expect(r.json.data).toMatchObject({id: 'DK108', fixable: true})
    r = await dk(['lint', '--explain', 'DK999'])
    expect(r.code).toBe(2)
    r = await dk(['lint', '--list-rules', '--json'])
    expect(r.json.data.length).toBeGreaterThanOrEqual(20)
    expect(r.json.data[0]).toMatchObject({id: 'DK100', name: 'parse-error'})
    r = await dk(['lint', '--list-rules'])
    expect(r.stdout).toMatch(/^ID\s+NAME\s+SEVERITY/)
  })
})
