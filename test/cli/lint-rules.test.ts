/**
 * The workshop's memcached Dockerfile through the built CLI: JSON findings with rule ids, lines,
 * columns and aliases; `--fix` on a copy rewrites it so that a second `dk lint` exits 0.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {dk, repoRoot} from '../helpers/cli.js'

const fixture = join(repoRoot, 'test', 'fixtures', 'lint', 'workshop-memcached.Dockerfile')
const dir = mkdtempSync(join(tmpdir(), 'dkt-lint-rules-'))

afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('dk lint on the workshop memcached Dockerfile', () => {
  it('reports what a teacher would point out, as JSON', async () => {
    const r = await dk(['lint', '--format', 'json', fixture])
    expect(r.code).toBe(1)
    const findings = JSON.parse(r.stdout) as {rule: string; line: number; column: number; severity: string; aliases: string[]; fixable: boolean}[]
    expect(findings.map((f) => [f.rule, f.line, f.column, f.severity, f.fixable])).toEqual([
      ['DK201', 2, 1, 'warning', true],
      ['DK304', 3, 5, 'warning', true],
      ['DK207', 4, 5, 'info', true],
    ])
    expect(findings[0].aliases).toContain('hadolint:DL4000')
  })

  it('--fix turns a copy into a Dockerfile that lints clean', async () => {
    const copy = join(dir, 'Dockerfile')
    copyFileSync(fixture, copy)
    const fixed = await dk(['lint', '--fix', copy])
    expect(readFileSync(copy, 'utf8')).toContain('RUN apt-get update -qq && apt-get install --no-install-recommends -q -y memcached && rm -rf /var/lib/apt/lists/*\n')
    expect(fixed.code).toBe(0)
    const again = await dk(['lint', '--failure-threshold', 'style', '--format', 'json', copy])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toEqual([])
  })

  it('explains a workshop rule by name', async () => {
    const r = await dk(['lint', '--explain', 'exec-form-split-words'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('DK301')
    expect(r.stdout).toContain('["apt-get", "install", "-y", "memcached"]')
  })
})
