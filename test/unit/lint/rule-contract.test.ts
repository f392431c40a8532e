/**
 * The engine's side of the rule contract (rule.ts), with small rules written here: crash
 * containment, async `prepare`, relayed ids (`ruleId`), per-finding severity, opt-in rules.
 */
import {describe, expect, it} from 'vitest'

import {lintText, lintTextSync} from '../../../src/dockerfile/lint.js'
import type {Rule} from '../../../src/dockerfile/rule.js'

const docs = {why: 'test rule', bad: '', good: ''}
const at = {start: {line: 0, character: 0}, end: {line: 0, character: 4}}

const crashing: Rule = {
  id: 'DK190', name: 'crashing', summary: 'throws', severity: 'warning', aliases: [], fixable: false, docs,
  check() {
    throw new Error('boom')
  },
}
const healthy: Rule = {
  id: 'DK191', name: 'healthy', summary: 'reports', severity: 'info', aliases: ['hadolint:DL9990'], fixable: false, docs,
  check({report}) {
    report({range: at, message: 'info finding'})
    report({range: at, message: 'raised', severity: 'error'})
  },
}
const relay: Rule = {
  id: 'DK192', name: 'relay', summary: 'relays external codes', severity: 'warning', aliases: [], fixable: false, docs,
  async prepare(model) {
    await new Promise((r) => setTimeout(r, 5))
    return model.lines.length
  },
  check({model, prepared, report}) {
    report({range: model.stages[0].from.getInstructionRange(), message: `prepared ${String(prepared)}`, ruleId: 'SC2086'})
  },
}
const optIn: Rule = {
  id: 'DK193', name: 'opt-in', summary: 'only when asked', severity: 'warning', aliases: [], fixable: false, optIn: true, docs,
  check({report}) {
    report({range: at, message: 'opted in'})
  },
}

describe('rule contract', () => {
  it('a rule that throws becomes an error finding; the other rules still report', () => {
    const result = lintTextSync('FROM busybox\n', {rules: [crashing, healthy]})
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['DK190', 'error'],
      ['DK191', 'info'],
      ['DK191', 'error'],
    ])
    expect(result.findings[0].message).toMatch(/^Internal error in rule DK190 \(crashing\): boom/)
  })

  it('prepare runs before check (async API only) and relayed ids are reported, suppressible and without aliases', async () => {
    const full = await lintText('FROM busybox\n', {rules: [relay]})
    expect(full.findings).toMatchObject([{rule: 'SC2086', message: 'prepared 2', aliases: [], severity: 'warning'}])
    // A pragma naming another rule leaves it alone; naming the relaying rule silences its codes too.
    const other = await lintText('# dk ignore=DK191\nFROM busybox\n', {rules: [relay, healthy]})
    expect(other.findings.filter((f) => f.rule === 'SC2086')).toHaveLength(1)
    expect((await lintText('# dk ignore=relay\nFROM busybox\n', {rules: [relay]})).findings).toEqual([])
    expect(lintTextSync('FROM busybox\n', {rules: [relay]}).findings).toEqual([])
    expect((await lintText('# dk ignore=SC2086\nFROM busybox\n', {rules: [relay]})).findings).toEqual([])
    expect((await lintText('FROM busybox\n', {rules: [relay], ignore: ['SC2086']})).findings).toEqual([])
  })

  it('opt-in rules run only when a profile, trusted registries or an override asks', () => {
    expect(lintTextSync('FROM busybox\n', {rules: [optIn]}).findings).toEqual([])
    expect(lintTextSync('FROM busybox\n', {rules: [optIn], profile: 'deis'}).findings).toHaveLength(1)
    expect(lintTextSync('FROM busybox\n', {rules: [optIn], config: {trustedRegistries: ['r.local']}}).findings).toHaveLength(1)
    expect(lintTextSync('FROM busybox\n', {rules: [optIn], config: {override: {error: ['DK193']}}}).findings).toMatchObject([{severity: 'error'}])
  })

  it('config overrides beat a per-finding severity; aliases resolve in --ignore', () => {
    const result = lintTextSync('FROM busybox\n', {rules: [healthy], config: {override: {style: ['DK191']}}})
    expect(result.findings.map((f) => f.severity)).toEqual(['style', 'style'])
    expect(lintTextSync('FROM busybox\n', {rules: [healthy], ignore: ['DL9990']}).findings).toEqual([])
  })
})
