/** docs/lint-rules.md shows exactly the rules' own data (what --explain shows); fix notes for every fixable rule. */
import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {practiceRules} from '../../../src/dockerfile/rules/practice-index.js'
import {DOC_PATH, FIX_NOTES, renderRuleSections, sectionsOnDisk} from './rule-docs.js'

describe('docs/lint-rules.md', () => {
  it('has the generated rule sections up to date', () => {
    expect(sectionsOnDisk()).toBe(renderRuleSections())
  })

  it('lists every rule in the quick reference with its severity', () => {
    const text = readFileSync(DOC_PATH, 'utf8')
    for (const rule of practiceRules) {
      expect(text).toMatch(new RegExp(`^\\| ${rule.id} \\| ${rule.name} \\|`, 'm'))
    }
  })

  it('describes the fix of every fixable rule, and only of those', () => {
    const fixable = practiceRules.filter((r) => r.fixable).map((r) => r.id).sort()
    expect(Object.keys(FIX_NOTES).sort()).toEqual(fixable)
  })

  it('gives every rule a unique id and name in its family', () => {
    const ids = practiceRules.map((r) => r.id)
    const names = practiceRules.map((r) => r.name)
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(names).size).toBe(names.length)
    for (const id of ids) expect(id).toMatch(/^DK[23]\d\d$/)
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })
})
