/**
 * Modern Dockerfiles (heredocs, RUN --mount, COPY --chmod/--link/--parents/--exclude, ADD --checksum,
 * the escape and syntax directives, multi-stage builds, ARG before FROM, variables in FROM) written
 * the way the rules ask: no DK2xx/DK3xx rule may find anything in them.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {parseDockerfile} from '../../../src/dockerfile/parse.js'
import type {RawFinding} from '../../../src/dockerfile/rule.js'
import {practiceRules} from '../../../src/dockerfile/rules/practice-index.js'
import {repoRoot} from '../../helpers/cli.js'

const dir = join(repoRoot, 'test', 'fixtures', 'lint', 'modern')
const files = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'))

describe('modern syntax never produces a practice finding', () => {
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(4)
  })

  it.each(files)('%s', async (file) => {
    const text = readFileSync(join(dir, file), 'utf8')
    const {model, problems} = parseDockerfile(text)
    expect(problems).toEqual([])
    const found: string[] = []
    for (const rule of practiceRules) {
      const prepared = rule.prepare ? await rule.prepare(model!, {}) : undefined
      rule.check({
        file,
        model: model!,
        options: {profile: 'deis'},
        prepared,
        report: (f: RawFinding) => found.push(`${f.ruleId ?? rule.id} ${f.range.start.line + 1}: ${f.message}`),
      })
    }
    expect(found).toEqual([])
  })
})
