import {mkdtemp, mkdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DkError} from '../../../src/cli/errors.js'
import {parseConfig} from '../../../src/dockerfile/config.js'
import {discoverDockerfiles, isDockerfileName} from '../../../src/dockerfile/discover.js'
import {lintFailed, lintPaths, lintText, lintTextSync, ruleIndex} from '../../../src/dockerfile/lint.js'

/** Rule ids found, limited to the engine's own DK1xx rules so that other rule families do not blur the test. */
const ids = (text: string, options = {}) =>
  lintTextSync(text, options)
    .findings.map((f) => f.rule)
    .filter((id) => /^DK1/.test(id))

/** Expect a DkError with this exit code; returns it for more checks. */
async function rejects(promise: Promise<unknown> | (() => unknown), exitCode: number): Promise<DkError> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    expect(error).toBeInstanceOf(DkError)
    expect((error as DkError).exitCode).toBe(exitCode)
    return error as DkError
  }
  throw new Error('expected an error')
}

describe('finding shape', () => {
  it('is 1-based, points at the token and carries aliases and fixable', async () => {
    const result = await lintText('FROM busybox\nCOPY a b /app\n', {file: 'x/Dockerfile'})
    const f = result.findings.find((x) => x.rule === 'DK108')!
    expect(f).toMatchObject({file: 'x/Dockerfile', line: 2, column: 10, endLine: 2, endColumn: 14, severity: 'error', fixable: true})
    expect(f.aliases).toContain('hadolint:DL3021')
    expect(result.parseError).toBe(false)
  })
  it('findings are sorted by line, column, rule', () => {
    const result = lintTextSync('FROM busybox\nSTOPSIGNAL X\nCOPY a b /app\nEXPOSE 99999\n')
    const keys = result.findings.map((f) => [f.line, f.column])
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
  })
  it('a parse error reports only DK100 and always fails', () => {
    const result = lintTextSync('FROM busybox\nRUN <<EOF\nmaintainer\n')
    expect(result.parseError).toBe(true)
    expect(result.findings.map((f) => f.rule)).toEqual(['DK100'])
    expect(lintFailed([result], 'error')).toBe(true)
  })
  it('binary input is a parse error at the NUL byte', () => {
    const [f] = lintTextSync('FROM a\nab\u0000c').findings
    expect([f.rule, f.line, f.column]).toEqual(['DK100', 2, 3])
  })
  it('an invalid escape directive is a parse error', () => {
    expect(ids('# escape=x\nFROM busybox\n')).toEqual(['DK100'])
  })
})

describe('pragmas', () => {
  const base = 'FROM busybox\n'
  it('# dk ignore= applies to the next instruction only (id, name)', () => {
    expect(ids(`${base}# dk ignore=DK116\nSTOPSIGNAL X\nSTOPSIGNAL Y\n`)).toEqual(['DK116'])
    expect(ids(`${base}# dk ignore=stopsignal-invalid\nSTOPSIGNAL X\n`)).toEqual([])
  })
  it('covers every line of a multi-line instruction', () => {
    expect(ids(`${base}# dk ignore=DK117\nRUN echo a \\\n\n  && echo b\n`)).toEqual([])
  })
  it('# dk global ignore= applies everywhere, also above', () => {
    expect(ids(`${base}STOPSIGNAL X\n# dk global ignore=DK116, DK106 # reason\nSTOPSIGNAL Y\nEXPOSE 99999\n`)).toEqual([])
  })
  it('# hadolint ignore= and global work through aliases', () => {
    expect(ids(`${base}# hadolint ignore=DL3021\nCOPY a b /app\n`)).toEqual([])
    expect(ids(`# hadolint global ignore=DL3011\n${base}EXPOSE 99999\n`)).toEqual([])
  })
  it('a hadolint id with no dk equivalent is accepted; an unknown one is an error', () => {
    expect(ids(`${base}# hadolint ignore=DL3008\nCOPY a /b\n`)).toEqual([])
    expect(() => lintTextSync(`${base}# hadolint ignore=DL9999\nRUN true\n`)).toThrow(/Unknown rule 'DL9999'/)
  })
  it("BuildKit's # check=skip= directive, and skip=all", () => {
    expect(ids('# check=skip=WorkdirRelativePath;error=true\nFROM busybox\nWORKDIR app\n')).toEqual([])
    expect(ids('# check=skip=all\nFROM busybox\nWORKDIR app\n')).toEqual([])
    expect(() => lintTextSync('# check=skip=NoSuchCheck\nFROM busybox\n')).toThrow(/NoSuchCheck/)
  })
  it('an unknown rule in a dk pragma is a usage error with file:line:column', async () => {
    const error = await rejects(() => lintTextSync(`${base}# dk ignore=DK116,DK999\nSTOPSIGNAL X\n`, {file: 'D'}), 2)
    expect(error.location).toBe('D:2:19')
    expect(error.hint).toMatch(/DK1/)
  })
  it('a malformed dk pragma is an error, not silence', async () => {
    await rejects(() => lintTextSync(`${base}# dk ignore DK116\nSTOPSIGNAL X\n`), 2)
    await rejects(() => lintTextSync(`${base}# dk ignore=\nSTOPSIGNAL X\n`), 2)
  })
  it('lines inside a heredoc are script, not pragmas', () => {
    expect(ids(`${base}RUN <<EOF\n# dk ignore=DK999\nEOF\n`)).toEqual([])
  })
})

describe('--ignore and config', () => {
  const index = ruleIndex()
  it('--ignore takes ids, names and aliases; unknown ones exit 2', async () => {
    expect(ids('FROM busybox\nSTOPSIGNAL X\nEXPOSE 99999\n', {ignore: ['stopsignal-invalid', 'hadolint:DL3011']})).toEqual([])
    const error = await rejects(() => lintTextSync('FROM busybox\n', {ignore: ['DK1166']}), 2)
    expect(error.message).toMatch(/DK1166.*--ignore/)
  })
  it('parses every key', async () => {
    const config = await parseConfig(
      'ignored: [DK116, from-first]\noverride:\n  error: [DK118]\n  info: [hadolint:DL3011]\nfailure-threshold: error\nprofile: deis\ntrusted-registries: [registry.local]\n',
      '.dk-lint.yaml',
      index,
    )
    expect(config).toMatchObject({ignored: ['DK116', 'DK101'], override: {error: ['DK118'], info: ['DK106']}, failureThreshold: 'error', profile: 'deis', trustedRegistries: ['registry.local']})
    const result = lintTextSync('FROM busybox\nrun true\nSTOPSIGNAL X\nEXPOSE 99999\n', {config})
    expect(result.findings.some((f) => f.rule === 'DK116')).toBe(false)
    expect(result.findings.find((f) => f.rule === 'DK118')?.severity).toBe('error')
    expect(result.findings.find((f) => f.rule === 'DK106')?.severity).toBe('info')
  })
  it('unknown keys, rules, severities and values are usage errors naming file:line:column', async () => {
    let e = await rejects(parseConfig('ignored: [DK116]\nignore: [DK101]\n', '/p/.dk-lint.yaml', index), 2)
    expect(e.message).toMatch(/Unknown key 'ignore'.*\/p\/\.dk-lint\.yaml/)
    expect(e.location).toBe('/p/.dk-lint.yaml:2:1')
    e = await rejects(parseConfig('ignored:\n  - DK116\n  - DK998\n', 'c.yaml', index), 2)
    expect(e.location).toBe('c.yaml:3:5')
    await rejects(parseConfig('override: {fatal: [DK116]}\n', 'c.yaml', index), 2)
    await rejects(parseConfig('failure-threshold: high\n', 'c.yaml', index), 2)
    await rejects(parseConfig('profile: heroku\n', 'c.yaml', index), 2)
    await rejects(parseConfig('ignored: [DK116\n', 'c.yaml', index), 2)
    await rejects(parseConfig('- a\n- b\n', 'c.yaml', index), 2)
  })
  it('an empty config is fine', async () => {
    expect(await parseConfig('', 'c.yaml', index)).toEqual({source: 'c.yaml'})
  })
})

describe('lintPaths and discovery', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dk-lint-paths-'))
    await mkdir(join(dir, 'app', 'sub'), {recursive: true})
    await mkdir(join(dir, 'node_modules', 'pkg'), {recursive: true})
    await mkdir(join(dir, '.git'), {recursive: true})
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox\nSTOPSIGNAL X\n')
    await writeFile(join(dir, 'app', 'Dockerfile.dev'), 'FROM busybox\n')
    await writeFile(join(dir, 'app', 'Dockerfile.dockerignore'), 'node_modules\n')
    await writeFile(join(dir, 'app', 'sub', 'web.Dockerfile'), 'FROM busybox\n')
    await writeFile(join(dir, 'app', 'sub', 'Containerfile'), 'FROM busybox\n')
    await writeFile(join(dir, 'app', 'README.md'), '# no\n')
    await writeFile(join(dir, 'node_modules', 'pkg', 'Dockerfile'), 'FROM busybox\n')
    await writeFile(join(dir, '.git', 'Dockerfile'), 'FROM busybox\n')
    await symlink(join(dir, 'app'), join(dir, 'app', 'sub', 'loop'))
    await writeFile(join(dir, 'app', '.dk-lint.yaml'), 'ignored: [DK116]\nfailure-threshold: error\n')
    await writeFile(join(dir, 'app', 'sub', 'Dockerfile'), 'FROM busybox\nSTOPSIGNAL X\n')
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('recognises Dockerfile names', () => {
    for (const yes of ['Dockerfile', 'Dockerfile.dev', 'web.Dockerfile', 'web.dockerfile', 'Containerfile']) expect(isDockerfileName(yes)).toBe(true)
    for (const no of ['Dockerfile.dockerignore', 'dockerfile-notes.txt', 'README.md', 'Makefile']) expect(isDockerfileName(no)).toBe(false)
  })
  it('discovers recursively, skipping node_modules, .git and symlinks', async () => {
    const found = (await discoverDockerfiles(dir)).map((f) => f.slice(dir.length + 1))
    expect(found).toEqual(['Dockerfile', 'app/Dockerfile.dev', 'app/sub/Containerfile', 'app/sub/Dockerfile', 'app/sub/web.Dockerfile'])
  })
  it('names files relative to the directory given, and finds the nearest config per file', async () => {
    const {results, configs} = await lintPaths(['.'], {cwd: dir})
    expect(results.map((r) => r.file)).toEqual(['Dockerfile', 'app/Dockerfile.dev', 'app/sub/Containerfile', 'app/sub/Dockerfile', 'app/sub/web.Dockerfile'])
    expect(results[0].findings.map((f) => f.rule)).toContain('DK116')
    // app/.dk-lint.yaml ignores DK116 below app/.
    expect(results[3].findings.map((f) => f.rule)).not.toContain('DK116')
    expect(configs.map((c) => c.failureThreshold)).toEqual(['error'])
  })
  it('--config replaces the search', async () => {
    await writeFile(join(dir, 'strict.yaml'), 'override: {error: [DK116]}\n')
    const {results} = await lintPaths(['Dockerfile', 'app/sub/Dockerfile'], {cwd: dir, configFile: 'strict.yaml'})
    expect(results.map((r) => r.findings.find((f) => f.rule === 'DK116')?.severity)).toEqual(['error', 'error'])
  })
  it('reads - from stdin', async () => {
    const {results} = await lintPaths(['-'], {cwd: dir, stdinText: 'FROM busybox\nSTOPSIGNAL X\n'})
    expect(results[0].file).toBe('<stdin>')
    expect(results[0].findings.map((f) => f.rule)).toContain('DK116')
  })
  it('a missing path is exit 4, before any lint work; an empty directory too', async () => {
    await rejects(lintPaths(['Dockerfile', 'nope/Dockerfile'], {cwd: dir}), 4)
    await mkdir(join(dir, 'empty'), {recursive: true})
    const e = await rejects(lintPaths(['empty'], {cwd: dir}), 4)
    expect(e.message).toMatch(/No Dockerfile found under empty/)
  })
  it('no path means ./Dockerfile', async () => {
    const {results} = await lintPaths([], {cwd: dir})
    expect(results.map((r) => r.file)).toEqual(['Dockerfile'])
    await rejects(lintPaths([], {cwd: join(dir, 'empty')}), 4)
  })
})

describe('oversized files', () => {
  it('a file above the size limit is a DK100 finding and is not read', async () => {
    const {MAX_DOCKERFILE_BYTES} = await import('../../../src/dockerfile/lint.js')
    const {open} = await import('node:fs/promises')
    const dir = await mkdtemp(join(tmpdir(), 'dk-lint-big-'))
    try {
      await writeFile(join(dir, 'Dockerfile'), 'FROM busybox\n')
      // Sparse: the size is there without writing the bytes.
      const handle = await open(join(dir, 'Dockerfile.tar.gz'), 'w')
      await handle.truncate(MAX_DOCKERFILE_BYTES + 1)
      await handle.close()
      const {results} = await lintPaths(['.'], {cwd: dir})
      expect(results.map((r) => r.file)).toEqual(['Dockerfile', 'Dockerfile.tar.gz'])
      expect(results[1]).toMatchObject({parseError: true, findings: [{rule: 'DK100', line: 1, column: 1}]})
      expect(results[1].findings[0].message).toMatch(/too large to be a Dockerfile/)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
