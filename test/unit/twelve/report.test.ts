import {describe, expect, it} from 'vitest'

import {dockerfileFacts, unquote} from '../../../src/twelve/dockerfile-facts.js'
import {renderReport} from '../../../src/twelve/render.js'
import {buildReport, fail, FACTORS, notChecked, pass, warn, worstStatus} from '../../../src/twelve/report.js'

describe('buildReport', () => {
  it('has the twelve factors in order; a factor takes its worst check; ok means no failure', () => {
    const report = buildReport(
      [pass('I', 'a', 'ok'), warn('III', 'b', 'hmm', ['e'], 'fix'), pass('III', 'c', 'ok'), fail('VII', 'd', 'no', ['e'], 'fix'), notChecked('XII', 'e', 'n/a')],
      {dir: '/app', ran: false},
    )
    expect(report.factors.map((f) => f.id)).toEqual(FACTORS.map((f) => f.id))
    expect(report.factors.map((f) => f.status)).toEqual(['pass', 'not-checked', 'warn', 'not-checked', 'not-checked', 'not-checked', 'fail', 'not-checked', 'not-checked', 'not-checked', 'not-checked', 'not-checked'])
    expect(report.counts).toEqual({pass: 1, warn: 1, fail: 1, 'not-checked': 9})
    expect(report.ok).toBe(false)
  })

  it('worstStatus orders fail > warn > pass > not-checked', () => {
    expect(worstStatus(['pass', 'not-checked'])).toBe('pass')
    expect(worstStatus(['pass', 'warn', 'not-checked'])).toBe('warn')
    expect(worstStatus(['warn', 'fail'])).toBe('fail')
    expect(worstStatus([])).toBe('not-checked')
  })
})

describe('renderReport', () => {
  it('shows each factor, the evidence and fix of non-passing checks, and the totals (no colour codes under NO_COLOR)', () => {
    const report = buildReport([pass('I', 'a', 'in git', ['repo at /x']), fail('VII', 'one-port', '2 exposed ports', ['Dockerfile:3:8: EXPOSE 80/tcp'], 'Expose one.')], {dir: '/app', ran: false})
    const text = renderReport(report)
    expect(text).not.toMatch(/\u001B\[/)
    expect(text).toMatch(/^✗ VII {2}Port binding +fail$/m)
    expect(text).toContain('         Dockerfile:3:8: EXPOSE 80/tcp')
    expect(text).toContain('fix: Expose one.')
    expect(text).not.toContain('repo at /x')
    expect(renderReport(report, {verbose: true})).toContain('repo at /x')
    expect(text.split('\n').at(-1)).toBe('✗ 1 pass, 0 warn, 1 fail, 10 not checked')
  })
})

describe('dockerfileFacts', () => {
  it('reads the final stage only, ports with their columns, the last CMD, labels unquoted like Docker', () => {
    const facts = dockerfileFacts(
      ['FROM busybox AS build', 'EXPOSE 1', 'FROM busybox:1.36', 'LABEL a="x y" b=\'z\\n\'', 'EXPOSE 80 53/UDP', 'CMD ["a"]', 'CMD b c', 'ONBUILD COPY . /app', 'VOLUME /data'].join('\n'),
    )
    expect(facts.from?.value).toBe('busybox:1.36')
    expect(facts.exposed.map((p) => [p.value, p.line, p.column])).toEqual([['80/tcp', 5, 8], ['53/udp', 5, 11]])
    expect(facts.cmd?.value).toEqual({form: 'shell', argv: ['/bin/sh', '-c', 'b c'], text: 'b c'})
    expect(facts.labels.a.value).toBe('x y')
    expect(facts.labels.b.value).toBe('z\\n')
    expect(facts.onbuild.map((o) => o.value)).toEqual(['COPY . /app'])
    expect(facts.volumes.map((v) => v.value)).toEqual(['/data'])
  })

  it('says why when the text is not a Dockerfile', () => {
    expect(dockerfileFacts('RUN echo\n').parseError).toBeTruthy()
  })

  it('unquote follows Docker: backslash escapes only " $ and \\ inside double quotes', () => {
    expect(unquote('"stats\\r\\n \\"q\\""')).toBe('stats\\r\\n "q"')
    expect(unquote("'a\\b'")).toBe('a\\b')
    expect(unquote('a\\ b')).toBe('a b')
  })
})
