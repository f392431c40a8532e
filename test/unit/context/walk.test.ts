/**
 * build-context.md §4 (validation), §5 (always-sent Dockerfile and .dockerignore) and §6 (the tar
 * walk): planContext + walkContext on real directories.
 */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {planContext} from '../../../src/context/plan.js'
import {contextEntries} from '../../../src/context/report.js'
import {compareUtf8} from '../../../src/context/walk.js'
import {cleanupTrees, makeTree, type Node} from './tree.js'

afterAll(cleanupTrees)

const DF = 'FROM busybox\n'

async function sent(tree: Record<string, Node>, options: {dockerfile?: string; cwd?: string} = {}): Promise<string[]> {
  const dir = makeTree(tree)
  const plan = await planContext(dir, {cwd: options.cwd ?? dir, dockerfile: options.dockerfile})
  return [...contextEntries(plan)].map((e) => (e.type === 'dir' ? `${e.path}/` : e.path))
}

async function refusal(tree: Record<string, Node>): Promise<{message: string; location?: string; exitCode: number}> {
  const dir = makeTree(tree)
  try {
    await planContext(dir)
  } catch (error) {
    return error as {message: string; location?: string; exitCode: number}
  }
  throw new Error('expected planContext to refuse the context')
}

const isRoot = process.getuid?.() === 0

describe('§4 validation walk', () => {
  it('refuses a bad pattern with Docker\'s reason and the .dockerignore line', async () => {
    const error = await refusal({Dockerfile: DF, '.dockerignore': 'ok\n\na[\n'})
    expect(error.message).toContain('error checking context: syntax error in pattern')
    expect(error.location).toMatch(/\.dockerignore:3$/)
    expect(error.exitCode).toBe(1)
  })

  it('refuses [z-a] when it is first tried, and a lone !', async () => {
    expect((await refusal({Dockerfile: DF, '.dockerignore': '[z-a]\n'})).location).toMatch(/:1$/)
    expect((await refusal({Dockerfile: DF, '.dockerignore': 'x\n!\n'})).message).toContain('illegal exclusion pattern: "!"')
  })

  it.skipIf(isRoot)('refuses an unreadable included file and an unreadable directory, even an excluded one', async () => {
    const file = await refusal({Dockerfile: DF, secret: {file: 'x', mode: 0o000}})
    expect(file.message).toMatch(/no permission to read from '.*secret'/)
    const dir = await refusal({Dockerfile: DF, '.dockerignore': 'locked\n', locked: {dir: true, mode: 0o000}})
    expect(dir.message).toMatch(/can't stat '.*locked'/)
  })

  it.skipIf(isRoot)('accepts an unreadable file that is excluded, or inside an excluded directory', async () => {
    const dir = makeTree({Dockerfile: DF, '.dockerignore': 'secret\nout\n', secret: {file: 'x', mode: 0o000}, 'out/locked': {dir: true, mode: 0o000}})
    await expect(planContext(dir)).resolves.toBeDefined()
  })

  it('does not open symlinks (even dangling) or FIFOs', async () => {
    expect(await sent({Dockerfile: DF, dangling: {symlink: 'nowhere'}, fifo: {fifo: true}})).toEqual(['Dockerfile', 'dangling', 'fifo'])
  })

  it('reports a missing context directory or Dockerfile as not found (exit 4)', async () => {
    await expect(planContext('/nonexistent/dk-context')).rejects.toMatchObject({exitCode: 4})
    const dir = makeTree({x: '1'})
    await expect(planContext(dir)).rejects.toMatchObject({exitCode: 4, message: expect.stringContaining('Dockerfile not found')})
  })
})

describe('§5 Dockerfile and .dockerignore are always sent', () => {
  it.each(['*', '**', '.*', 'Dockerfile\n.dockerignore', 'Docker*'])('with %j', async (ignore) => {
    const names = await sent({Dockerfile: DF, '.dockerignore': `${ignore}\n`})
    expect(names).toEqual(['.dockerignore', 'Dockerfile'])
  })

  it('loses a deep -f Dockerfile under **/ci (the one-parent Matches quirk), keeps a shallow one', async () => {
    const deep = makeTree({'a/build/ci/Dockerfile': DF, '.dockerignore': '**/ci\n'})
    const plan = await planContext(deep, {cwd: deep, dockerfile: 'a/build/ci/Dockerfile'})
    expect(plan.alwaysSent.dockerfile).toBe(false)
    expect([...contextEntries(plan)].map((e) => e.path)).not.toContain('a/build/ci/Dockerfile')
    expect(await sent({'build/ci/Dockerfile': DF, '.dockerignore': '**/ci\n'}, {dockerfile: 'build/ci/Dockerfile'})).toContain('build/ci/Dockerfile')
  })

  it('sends a nested -f Dockerfile inside an excluded dir without its parent entries', async () => {
    expect(await sent({'build/ci/Dockerfile': DF, 'build/ci/other': '1', '.dockerignore': 'build\n'}, {dockerfile: 'build/ci/Dockerfile'})).toEqual([
      '.dockerignore',
      'build/ci/Dockerfile',
    ])
  })

  it('protects only the Dockerfile in use', async () => {
    expect(await sent({Dockerfile: DF, 'sub/Dockerfile.dev': DF, '.dockerignore': '*\n'}, {dockerfile: 'sub/Dockerfile.dev'})).toEqual([
      '.dockerignore',
      'sub/Dockerfile.dev',
    ])
  })

  it('resolves a Dockerfile symlink to its target, which is the protected file', async () => {
    const dir = makeTree({Dockerfile: {symlink: 'docker/Dockerfile.real'}, 'docker/Dockerfile.real': DF, '.dockerignore': '*\n'})
    const plan = await planContext(dir)
    expect(plan.dockerfileQueryPath).toBe('docker/Dockerfile.real')
    expect([...contextEntries(plan)].map((e) => e.path)).toEqual(['.dockerignore', 'docker/Dockerfile.real'])
  })

  it('falls back to a lowercase dockerfile, and protects it', async () => {
    const dir = makeTree({dockerfile: DF, '.dockerignore': '*\n'})
    const plan = await planContext(dir)
    expect(plan.dockerfileQueryPath).toBe('dockerfile')
    expect([...contextEntries(plan)].map((e) => e.path)).toEqual(['.dockerignore', 'dockerfile'])
  })

  it('resolves -f against the current directory, not the context', async () => {
    const root = makeTree({'ctx/Dockerfile': 'FROM a\n', 'Dockerfile.other': 'FROM b\n'})
    const plan = await planContext('ctx', {cwd: root, dockerfile: 'Dockerfile.other'})
    expect(plan.dockerfile.injected).toBe(true)
    expect(plan.dockerfile.content?.toString()).toBe('FROM b\n')
  })

  it('injects an outside or stdin Dockerfile as .dockerfile.<20 hex> and rewrites .dockerignore', async () => {
    const root = makeTree({'ctx/x': '1', 'ctx/.dockerignore': 'y\n', 'Dockerfile.out': DF})
    const plan = await planContext('ctx', {cwd: root, dockerfile: 'Dockerfile.out'})
    expect(plan.dockerfileQueryPath).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/)
    const entries = [...contextEntries(plan)]
    expect(entries.map((e) => e.path)).toEqual(['.dockerignore', 'x', plan.dockerfileQueryPath])
    expect(entries[0].size).toBe(2 + `\n${plan.dockerfileQueryPath}\n`.length)
    const stdin = await planContext(join(root, 'ctx'), {dockerfile: '-', dockerfileContent: Buffer.from(DF)})
    expect(stdin.dockerfile.relative).toBe('-')
    expect(stdin.alwaysSent.dockerfile).toBe(false)
  })
})

describe('§6 the tar walk', () => {
  it('walks depth-first in byte order: a/… before a.txt', async () => {
    expect(await sent({Dockerfile: DF, 'a/x': '1', 'a.txt': '2', 'a-b': '3', A: '4', '\uE000': '5', '😀': '6'})).toEqual([
      'A', 'Dockerfile', 'a/', 'a/x', 'a-b', 'a.txt', '\uE000', '😀',
    ])
  })

  it('orders names by UTF-8 bytes, not UTF-16 units', () => {
    expect(['😀', '\uE000', 'z'].sort(compareUtf8)).toEqual(['z', '\uE000', '😀'])
  })

  it.each([
    ['sub\n!sub/keep.txt\n', ['sub/keep.txt']],
    ['sub\n!**/keep.txt\n', []],
    ['sub\n!*/keep.txt\n', []],
    ['sub\n!sub*/keep.txt\n', []],
    ['sub\n!sub/*/keep.txt\n', []],
    ['sub\n!sub/a/*.txt\n', ['sub/a/keep.txt']],
    ['sub\n!sub/a\n', ['sub/a/', 'sub/a/keep.txt']],
    ['sub\n', []],
  ])('prunes excluded dirs by the textual-prefix rule: %j', async (ignore, expected) => {
    const names = await sent({Dockerfile: DF, '.dockerignore': ignore, 'sub/keep.txt': '1', 'sub/a/keep.txt': '2'})
    expect(names.filter((n) => n.startsWith('sub'))).toEqual(expected)
  })

  it('keeps only root *.txt with ** and !**/*.txt', async () => {
    expect(await sent({Dockerfile: DF, '.dockerignore': '**\n!**/*.txt\n', 'a.txt': '1', 'd/b.txt': '2'})).toEqual(['.dockerignore', 'Dockerfile', 'a.txt'])
  })

  it('sends the dir entry for dir/**, empty', async () => {
    expect(await sent({Dockerfile: DF, '.dockerignore': 'dir/**\n', 'dir/a': '1'})).toEqual(['.dockerignore', 'Dockerfile', 'dir/'])
  })

  it('stores symlinks as links, never following them', async () => {
    const dir = makeTree({Dockerfile: DF, out: {symlink: '/etc'}, self: {symlink: 'self'}, up: {symlink: '../../secret'}})
    const entries = [...contextEntries(await planContext(dir))]
    expect(entries.filter((e) => e.type === 'symlink').map((e) => [e.path, e.linkTarget, e.mode])).toEqual([
      ['out', '/etc', 0o777],
      ['self', 'self', 0o777],
      ['up', '../../secret', 0o777],
    ])
  })

  it('writes hard links after the first sent name; an excluded first name does not count', async () => {
    const dir = makeTree({Dockerfile: DF, '.dockerignore': 'a\n', a: 'data', b: {hardlink: 'a'}, c: {hardlink: 'a'}})
    const entries = [...contextEntries(await planContext(dir))].filter((e) => /^[abc]$/.test(e.path))
    expect(entries.map((e) => [e.path, e.type, e.linkTarget, e.size])).toEqual([
      ['b', 'file', undefined, 4],
      ['c', 'hardlink', 'b', 0],
    ])
  })

  it('sends FIFOs and drops sockets', async () => {
    const dir = makeTree({Dockerfile: DF, fifo: {fifo: true}})
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve))
    try {
      const entries = [...contextEntries(await planContext(dir))]
      expect(entries.map((e) => [e.path, e.type])).toEqual([
        ['Dockerfile', 'file'],
        ['fifo', 'fifo'],
      ])
    } finally {
      server.close()
    }
  })

  it('keeps permission and special bits, whole-second mtimes', async () => {
    const dir = makeTree({Dockerfile: DF, tmp: {dir: true, mode: 0o1777}, suid: {file: 'x', mode: 0o4755}})
    chmodSync(join(dir, 'tmp'), 0o1777)
    const entries = [...contextEntries(await planContext(dir))]
    expect(entries.find((e) => e.path === 'tmp')?.mode).toBe(0o1777)
    expect(entries.find((e) => e.path === 'suid')?.mode).toBe(0o4755)
    expect(Number.isInteger(entries[0].mtime)).toBe(true)
  })

  it('sends empty directories', async () => {
    const dir = makeTree({Dockerfile: DF})
    mkdirSync(join(dir, 'empty'))
    writeFileSync(join(dir, 'z'), '')
    expect([...contextEntries(await planContext(dir))].map((e) => e.path)).toEqual(['Dockerfile', 'empty', 'z'])
  })
})
