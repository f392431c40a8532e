/**
 * The practice rules and their shell/exec-form helpers never throw, whatever the input: mutated
 * Dockerfile fragments (unterminated quotes, heredocs without end, odd escapes, CRLF, binary
 * bytes). The engine would turn a throw into an "internal error" finding; here it fails the test.
 */
import {describe, expect, it} from 'vitest'

import {parseDockerfile} from '../../../src/dockerfile/parse.js'
import {practiceRules} from '../../../src/dockerfile/rules/practice-index.js'
import {parseShell} from '../../../src/dockerfile/shell.js'

const FRAGMENTS = [
  'FROM ', 'busybox:latest', ' AS b', 'ubuntu', '$BASE', 'scratch', 'RUN ', 'CMD ', 'ENTRYPOINT ', 'EXPOSE ', 'LABEL ', 'USER ',
  'ADD ', 'COPY ', 'SHELL ', 'MAINTAINER ', 'ARG ', 'ENV ', 'ONBUILD ', '--mount=type=cache,target=/var/lib/apt ', '--chmod=755 ',
  'apt-get ', 'update', ' install ', '-y ', '-qq', 'apk add ', 'pip install ', 'sudo ', 'cd /x', ' && ', ' || ', ' | ', '; ', ' & ',
  '"', "'", '`', '\\', '\\\n', '\n', '\r\n', '<<EOF', '<<-EOF', 'EOF', '$(', ')', '${', '}', '[', ']', '["a b", "-c d"]', ', ',
  '80', '80-', '-90', '/udp', 'root', '0', 'a=b', 'KEY_TOKEN=1', '#', '# escape=`\n', '\t', ' ', 'é', '\u0000', '\uFFFD',
]

function seeded(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
}

describe('fuzz', () => {
  it('2,000 random Dockerfiles: no practice rule throws', async () => {
    const random = seeded(42)
    let checked = 0
    for (let n = 0; n < 2000; n++) {
      const parts: string[] = []
      const length = 1 + Math.floor(random() * 40)
      for (let k = 0; k < length; k++) parts.push(FRAGMENTS[Math.floor(random() * FRAGMENTS.length)])
      if (random() < 0.1) parts.push(String.fromCharCode(...Array.from({length: 20}, () => Math.floor(random() * 256))))
      const text = (random() < 0.7 ? 'FROM busybox:latest\n' : '') + parts.join('')
      const {model} = parseDockerfile(text)
      if (!model) continue
      for (const rule of practiceRules) {
        if (rule.prepare) continue // ShellCheck: a child process per input is too slow here; it has its own tests.
        try {
          rule.check({file: 'fuzz', model, options: {profile: 'deis'}, report: () => {}})
        } catch (error) {
          throw new Error(`${rule.id} threw on ${JSON.stringify(text)}: ${(error as Error).stack}`)
        }
      }
      checked++
    }
    expect(checked).toBeGreaterThan(1000)
  })

  it('parseShell terminates and never throws on random shell text', () => {
    const random = seeded(7)
    const chars = 'ab -$(){}[]\'"`\\|&;<>#\n\t=*~!012'
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({length: Math.floor(random() * 60)}, () => chars[Math.floor(random() * chars.length)]).join('')
      expect(() => parseShell(text)).not.toThrow()
    }
  })

  it('handles a 10,000-line Dockerfile quickly', () => {
    const lines = ['FROM debian:bookworm']
    for (let k = 0; k < 10_000; k++) lines.push(k % 3 === 0 ? `RUN apt-get install pkg${k} | tee /x \\` : k % 3 === 1 ? `  && cd /tmp${k}` : `LABEL k${k}=v`)
    const {model} = parseDockerfile(lines.join('\n'))
    const started = performance.now()
    let found = 0
    for (const rule of practiceRules) if (!rule.prepare) rule.check({file: 'big', model: model!, options: {}, report: () => found++})
    expect(found).toBeGreaterThan(1000)
    // Linear: ~2.5 s here on 2 busy cores; the quadratic version this guards against took 38 s.
    expect(performance.now() - started).toBeLessThan(10_000)
  })
})
