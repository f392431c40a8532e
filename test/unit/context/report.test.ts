/** The `dk context` report, `--why`, and the suggested .dockerignore lines. */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {parseDockerignore} from '../../../src/context/dockerignore.js'
import {PatternMatcher} from '../../../src/context/pattern-matcher.js'
import {packContext} from '../../../src/context/pack.js'
import {planContext} from '../../../src/context/plan.js'
import {contextReport, escapeName, ignoreLineFor} from '../../../src/context/report.js'
import {explainPath} from '../../../src/context/why.js'
import {cleanupTrees, makeTree} from './tree.js'

afterAll(cleanupTrees)

async function tarLength(dir: string): Promise<number> {
  let n = 0
  for await (const chunk of packContext(await planContext(dir))) n += (chunk as Buffer).length
  return n
}

describe('contextReport', () => {
  it('counts what is sent and excluded, with the exact upload size', async () => {
    const dir = makeTree({
      Dockerfile: 'FROM busybox\n',
      '.dockerignore': 'node_modules\n*.log\n',
      'site/index.html': 'x'.repeat(3000),
      'site/css/a.css': 'y'.repeat(100),
      'node_modules/a/index.js': '1',
      'node_modules/b/index.js': '2',
      'debug.log': 'z',
      link: {symlink: 'site'},
    })
    const r = contextReport(await planContext(dir))
    expect(r).toMatchObject({files: 4, dirs: 2, symlinks: 1, other: 0, totalBytes: 13 + 19 + 3000 + 100})
    // node_modules, its 2 dirs and 2 files, debug.log
    expect(r.excluded).toBe(6)
    expect(r.excludedDirs).toEqual([{path: 'node_modules', entries: 4}])
    expect(r.tarBytes).toBe(await tarLength(dir))
    expect(r.largestFiles[0]).toEqual({path: 'site/index.html', size: 3000})
    expect(r.largestDirs).toEqual([
      {path: 'site', size: 3100},
      {path: 'site/css', size: 100},
    ])
    expect(r.warnings).toEqual([])
  })

  it('warns about .git, node_modules, .env, private keys and big files, with a line that fixes each', async () => {
    const dir = makeTree({
      Dockerfile: 'FROM busybox\n',
      '.git/HEAD': 'ref',
      'app/node_modules/x/node_modules/y.js': '1',
      '.env': 'SECRET=1',
      'secrets/id_rsa': 'key',
      'certs/server.pem': 'pem',
      'tls/a.key': 'k',
    })
    writeFileSync(join(dir, 'junk.bin'), Buffer.alloc(51 * 1000 * 1000))
    const r = contextReport(await planContext(dir))
    expect(r.warnings.map((w) => [w.kind, w.path, w.fix])).toEqual([
      ['env', '.env', '.env'],
      ['git', '.git', '.git'],
      ['node_modules', 'app/node_modules', 'app/node_modules'],
      ['private-key', 'certs/server.pem', 'certs/server.pem'],
      ['large-file', 'junk.bin', 'junk.bin'],
      ['private-key', 'secrets/id_rsa', 'secrets/id_rsa'],
      ['private-key', 'tls/a.key', 'tls/a.key'],
    ])
    // Appending all the fixes leaves none of them in the context.
    writeFileSync(join(dir, '.dockerignore'), r.warnings.map((w) => w.fix).join('\n'))
    expect(contextReport(await planContext(dir)).warnings).toEqual([])
  })
})

describe('ignoreLineFor', () => {
  it.each(['plain.txt', 'a*b', 'q?', '[x]', 'back\\slash', 'x{1}*', ' lead', 'trail ', '#hash', '!bang', 'a|b[', 'new\nline', 'd/e f'])(
    'makes a line that excludes exactly %j',
    (path) => {
      const matcher = new PatternMatcher(parseDockerignore(`${ignoreLineFor(path)}\n`))
      expect(matcher.matchesOrParentMatches(path)).toBe(true)
      expect(matcher.matchesOrParentMatches(`${path}x`)).toBe(false)
    },
  )
})

describe('explainPath (--why)', () => {
  const tree = {
    Dockerfile: 'FROM busybox\n',
    '.dockerignore': '*.md\nsub\n!sub/keep.txt\n!**/other.txt\n',
    'README.md': '1',
    'sub/keep.txt': '2',
    'sub/other.txt': '3',
    'app.js': '4',
  }

  it('names the deciding line, or "not matched"', async () => {
    const plan = await planContext(makeTree(tree))
    expect(explainPath(plan, 'README.md')).toMatchObject({verdict: 'excluded', reason: 'excluded', decidedBy: {line: 1, text: '*.md'}})
    expect(explainPath(plan, 'app.js')).toMatchObject({verdict: 'sent', reason: 'not-matched'})
    // root-anchoring explained: `*.md` does not reach docs/guide.md
    expect(explainPath(plan, 'docs/guide.md').message).toContain('.dockerignore:1 (*.md) matches the name but only at the top')
    expect(explainPath(plan, 'sub/keep.txt')).toMatchObject({verdict: 'sent', reason: 're-included', decidedBy: {line: 3}, parentsWithoutEntry: ['sub']})
  })

  it('explains the textual pruning: an exception that matches but is never reached', async () => {
    const plan = await planContext(makeTree({...tree, 'sub/deeper/other.txt': '5'}))
    const why = explainPath(plan, 'sub/deeper/other.txt')
    expect(why).toMatchObject({verdict: 'excluded', reason: 'parent-pruned', prunedAt: {dir: 'sub/deeper'}})
    expect(why.message).toContain('.dockerignore:4')
  })

  it('says "always sent" for a protected Dockerfile', async () => {
    const plan = await planContext(makeTree({Dockerfile: 'FROM busybox\n', '.dockerignore': '*\n'}))
    const why = explainPath(plan, 'Dockerfile')
    expect(why).toMatchObject({verdict: 'sent', reason: 'always-sent'})
    expect(why.message).toContain('.dockerignore:1')
  })

  it('refuses paths outside the context', async () => {
    const plan = await planContext(makeTree(tree))
    expect(() => explainPath(plan, '../etc/passwd')).toThrow(/not a path inside the context/)
  })
})

describe('escapeName', () => {
  it('escapes newline, tab and carriage return', () => {
    expect(escapeName('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd')
  })
})
