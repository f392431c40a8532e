import {mkdtemp, readFile, readdir, rm, stat, chmod, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {applyFindings, fixText, unifiedDiff, writeFileAtomic} from '../../../src/dockerfile/fix.js'
import {lintTextSync} from '../../../src/dockerfile/lint.js'
import {runLint} from '../../../src/dockerfile/lint-run.js'

/** Only the DK1xx fixes, so each before/after shows one rule's fix. */
const only = (...rules: string[]) => ({ignore: allOtherFixable(rules)})
function allOtherFixable(keep: string[]): string[] {
  return ['DK105', 'DK108', 'DK117', 'DK118', 'DK119'].filter((r) => !keep.includes(r))
}

async function fixed(text: string, rule: string): Promise<string> {
  const result = await fixText(text, only(rule))
  expect(result.result.findings.filter((f) => f.rule === rule)).toEqual([])
  return result.text
}

describe('fixes of DK1xx rules (before → after)', () => {
  it('DK105 single-quoted exec form → JSON', async () => {
    expect(await fixed("FROM busybox\nCMD ['httpd', '-f', '-p', '80']\n", 'DK105')).toBe('FROM busybox\nCMD ["httpd", "-f", "-p", "80"]\n')
  })
  it('DK108 destination gains its slash', async () => {
    expect(await fixed('FROM busybox\nCOPY a b /app\n', 'DK108')).toBe('FROM busybox\nCOPY a b /app/\n')
  })
  it('DK117 empty continuation lines are removed', async () => {
    expect(await fixed('FROM busybox\nRUN echo a \\\n\n   \n  && echo b\n', 'DK117')).toBe('FROM busybox\nRUN echo a \\\n  && echo b\n')
  })
  it('DK118 keywords follow the majority case, ONBUILD triggers included', async () => {
    expect(await fixed('FROM busybox\nrun true\nONBUILD run true\nCMD ["sh"]\n', 'DK118')).toBe('FROM busybox\nRUN true\nONBUILD RUN true\nCMD ["sh"]\n')
  })
  it('DK119 legacy ENV/LABEL → key=value, quoting values with spaces', async () => {
    expect(await fixed('FROM busybox\nENV PORT 11211\nLABEL description a small image\n', 'DK119')).toBe(
      'FROM busybox\nENV PORT=11211\nLABEL description="a small image"\n',
    )
  })
  it('DK119 leaves values with quotes alone (reported, not fixed)', async () => {
    const result = await fixText('FROM busybox\nENV GREETING "hello"\n', only('DK119'))
    expect(result.changed).toBe(false)
    expect(result.result.findings.find((f) => f.rule === 'DK119')?.fixable).toBe(false)
  })
})

describe('fix engine', () => {
  it('is idempotent and keeps comments and formatting elsewhere', async () => {
    const input = '# top comment\nFROM busybox\n\n# keep me\nrun echo a \\\n\n    && echo b   # trailing\nCOPY a b /app\n'
    const once = await fixText(input)
    const twice = await fixText(once.text)
    expect(twice.text).toBe(once.text)
    expect(twice.changed).toBe(false)
    expect(once.text).toContain('# top comment\nFROM busybox\n\n# keep me\n')
    expect(once.text).toContain('&& echo b   # trailing')
    for (const rule of ['DK108', 'DK117', 'DK118']) expect(once.result.findings.some((f) => f.rule === rule)).toBe(false)
  })
  it('keeps CRLF line endings and the BOM', async () => {
    const out = await fixText('\uFEFFFROM busybox\r\nrun true\r\nCOPY a b /app\r\n', only('DK108', 'DK118'))
    expect(out.text).toBe('\uFEFFFROM busybox\r\nRUN true\r\nCOPY a b /app/\r\n')
  })
  it('applies non-overlapping edits in one pass and leaves clashing ones for the next', () => {
    const text = 'abcdef'
    const finding = (from: number, to: number, newText: string) => ({
      file: 'f', line: 1, column: 1, endLine: 1, endColumn: 1, rule: 'X', severity: 'error' as const, message: '', aliases: [], fixable: true,
      edits: [{range: {start: {line: 0, character: from}, end: {line: 0, character: to}}, newText}],
    })
    const out = applyFindings(text, [finding(0, 2, 'X'), finding(1, 3, 'Y'), finding(4, 6, 'Z')])
    expect(out).toEqual({text: 'XcdZ', count: 2})
  })
  it('does nothing to a file without fixable findings', async () => {
    const text = 'FROM busybox\nSTOPSIGNAL SIGFOO\n'
    const out = await fixText(text)
    expect(out).toMatchObject({text, applied: 0, changed: false})
  })
  it('unified diff of a fix', async () => {
    const diff = await unifiedDiff('Dockerfile', 'FROM busybox\nCOPY a b /app\n', 'FROM busybox\nCOPY a b /app/\n')
    expect(diff).toBe('--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM busybox\n-COPY a b /app\n+COPY a b /app/\n')
  })
})

describe('--fix on disk', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dk-lint-fix-'))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('writes atomically, keeps the mode, leaves no temp file', async () => {
    const file = join(dir, 'Dockerfile')
    await writeFile(file, 'FROM busybox\nCOPY a b /app\n')
    await chmod(file, 0o640)
    await writeFileAtomic(file, 'FROM busybox\nCOPY a b /app/\n')
    expect(await readFile(file, 'utf8')).toBe('FROM busybox\nCOPY a b /app/\n')
    expect((await stat(file)).mode & 0o777).toBe(0o640)
    expect(await readdir(dir)).toEqual(['Dockerfile'])
  })
  it('runLint --fix rewrites the file and reports what is left; --fix-dry-run only diffs', async () => {
    const file = join(dir, 'Dockerfile')
    const before = 'FROM busybox\nrun true\nCOPY a b /app\nSTOPSIGNAL SIGFOO\n'
    await writeFile(file, before)
    const dry = await runLint({paths: ['Dockerfile'], cwd: dir, fixDryRun: true})
    expect(await readFile(file, 'utf8')).toBe(before)
    expect(dry.fixes[0].diff).toContain('+COPY a b /app/')
    const wet = await runLint({paths: ['Dockerfile'], cwd: dir, fix: true})
    const after = await readFile(file, 'utf8')
    expect(after).toContain('RUN true\nCOPY a b /app/\n')
    expect(wet.fixes[0].fixed).toBeGreaterThanOrEqual(2)
    expect(wet.results[0].findings.map((f) => f.rule)).toContain('DK116')
    expect(wet.results[0].findings.some((f) => f.fixable)).toBe(false)
    expect(wet.exitCode).toBe(1)
    // Untouched when there is nothing left to fix.
    const mtime = (await stat(file)).mtimeMs
    await runLint({paths: ['Dockerfile'], cwd: dir, fix: true})
    expect((await stat(file)).mtimeMs).toBe(mtime)
  })
  it('refuses --fix on stdin and --fix with --fix-dry-run', async () => {
    await expect(runLint({paths: ['-'], fix: true, stdinText: 'FROM busybox\n'})).rejects.toMatchObject({exitCode: 2})
    await expect(runLint({paths: ['x'], fix: true, fixDryRun: true})).rejects.toMatchObject({exitCode: 2})
  })
  it('a lint of the fixed text has none of the fixed findings', async () => {
    const text = "FROM busybox\nrun true\nCMD ['a']\nCOPY a b /app\nENV A b\n"
    const out = await fixText(text)
    const again = lintTextSync(out.text)
    expect(again.findings.filter((f) => f.fixable)).toEqual([])
  })
})
