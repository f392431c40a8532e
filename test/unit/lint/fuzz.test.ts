/**
 * Robustness: whatever the input, lint never throws, and every input gives findings or a DK100
 * parse finding, each with sane positions. A seeded PRNG keeps failures reproducible.
 */
import {describe, expect, it} from 'vitest'

import {fixText} from '../../../src/dockerfile/fix.js'
import {formatResults, FORMATS} from '../../../src/dockerfile/formats/index.js'
import {lintTextSync} from '../../../src/dockerfile/lint.js'
import {allRules} from '../../../src/dockerfile/rules/index.js'
import type {LintResult} from '../../../src/dockerfile/types.js'

function prng(seed: number): () => number {
  // mulberry32
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const SEEDS = [
  '# syntax=docker/dockerfile:1\n# escape=\\\nARG BASE=busybox\nFROM ${BASE}:1.35 AS build\nRUN --mount=type=cache,target=/root/.cache <<EOF\nset -e\necho "hi" > /out\nEOF\nCOPY --chmod=755 --link --parents --exclude=*.md src/ /app/\nADD --checksum=sha256:0 https://example.com/a.tgz /tmp/\nFROM busybox\nCOPY --from=build /out /out\nHEALTHCHECK --interval=5s CMD ["wget", "-q", "-O-", "http://localhost/"]\nONBUILD COPY . /src\nUSER app\nCMD ["httpd", "-f"]\n',
  'FROM ubuntu:wily\nMAINTAINER Jane <jane@example.com>\nRUN apt-get update -qq\nRUN apt-get install -q -y memcached\nCMD ["memcached", "-u", "daemon"]\nEXPOSE 11211\n',
  "from busybox\nenv A b\nCMD ['a', 'b']\nCOPY a b c\nRUN echo \\\n\n  x\nLABEL a=b c=\"d e\"\nSTOPSIGNAL SIGTERM\nSHELL [\"/bin/sh\", \"-c\"]\n",
  '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\nWORKDIR C:\\app\n',
]
const FRAGMENTS = [
  '\\', '\\\n', '`', '"', "'", '[', ']', '[""', '<<EOF', '<<-EOT\n', 'EOF\n', '${', '${A:-', '$', '#', '# dk ignore=DK101', '# hadolint global ignore=DL3006',
  '\r\n', '\r', '\n', '\n\n', '\t', ' ', '=', '--', '--mount=', '--from=', 'AS', 'ONBUILD ', 'FROM ', 'RUN ', 'COPY ', 'HEALTHCHECK ', 'EXPOSE ', 'ENV ',
  '\u0000', '\uFEFF', '\uD800', 'é', '😀', '\u202E', '\u001B[31m', ':', '/', '65536', '-1',
]

function mutate(text: string, rand: () => number): string {
  let s = text
  const n = 1 + Math.floor(rand() * 6)
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (s.length + 1))
    const op = rand()
    if (op < 0.4) s = s.slice(0, at) + FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] + s.slice(at)
    else if (op < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 12))
    else if (op < 0.85) {
      const from = Math.floor(rand() * s.length)
      s = s.slice(0, at) + s.slice(from, from + Math.floor(rand() * 40)) + s.slice(at)
    } else s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x3000)) + s.slice(at)
  }
  return s
}

function randomBytes(rand: () => number, length: number): string {
  return Buffer.from(Array.from({length}, () => Math.floor(rand() * 256))).toString('utf8')
}

function checkResult(result: LintResult, input: string): void {
  const lineCount = input.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length
  const nonEmpty = input.trim().length > 0
  if (nonEmpty) expect(result.findings.length + (result.parseError ? 0 : 1)).toBeGreaterThan(0)
  if (result.parseError) expect(result.findings.every((f) => f.rule === 'DK100')).toBe(true)
  for (const f of result.findings) {
    expect(f.line).toBeGreaterThanOrEqual(1)
    expect(f.line).toBeLessThanOrEqual(lineCount)
    expect(f.column).toBeGreaterThanOrEqual(1)
    expect(f.endLine).toBeGreaterThanOrEqual(f.line)
    expect(f.message).not.toMatch(/^Internal error/)
  }
}

/** Inputs that legitimately throw: a pragma naming an unknown rule is a usage error by design. */
function isUsageError(error: unknown): boolean {
  return (error as {exitCode?: number})?.exitCode === 2
}

// Generous timeouts: the work is a few CPU seconds, but CI shares its two cores with other suites.
describe('fuzz', {timeout: 180_000}, () => {
  it('1,500 mutated Dockerfiles never crash lint', () => {
    const rand = prng(42)
    let parseErrors = 0
    for (let i = 0; i < 1500; i++) {
      const input = mutate(SEEDS[i % SEEDS.length], rand)
      let result: LintResult
      try {
        result = lintTextSync(input)
      } catch (error) {
        if (isUsageError(error)) continue
        throw new Error(`lint threw on input ${JSON.stringify(input)}: ${(error as Error).stack}`)
      }
      checkResult(result, input)
      if (result.parseError) parseErrors++
    }
    // The mutations must reach the parse-error path too, or this test explores too little.
    expect(parseErrors).toBeGreaterThan(30)
  })

  it('300 random byte strings give findings or a parse finding', () => {
    const rand = prng(7)
    for (let i = 0; i < 300; i++) {
      const input = randomBytes(rand, Math.floor(rand() * 400))
      let result: LintResult
      try {
        result = lintTextSync(input)
      } catch (error) {
        if (isUsageError(error)) continue
        throw new Error(`lint threw on input ${JSON.stringify(input)}: ${(error as Error).stack}`)
      }
      checkResult(result, input)
    }
  })

  it('edge cases: empty, BOM only, CRLF, lone CR, unterminated quotes and heredocs, binary', () => {
    const inputs = ['', '\uFEFF', '\r\n\r\n', 'FROM busybox\rRUN true\r', 'FROM busybox\nRUN echo "unterminated\n', "FROM busybox\nCMD ['a\n", 'FROM busybox\nRUN <<A <<B\nx\nA\n', 'FROM busybox\nCOPY <<EOF\n', '\\', 'FROM \\', '\u0000\u0001\u0002', 'FROM busybox\nRUN <<EOF']
    for (const input of inputs) checkResult(lintTextSync(input), input)
  })

  it('a 10,000-line Dockerfile lints, with every format, in a few seconds of CPU', () => {
    const lines = ['FROM busybox AS base']
    for (let i = 0; i < 9999; i++) lines.push(i % 3 === 0 ? `RUN echo ${i} && \\\n    echo done` : i % 3 === 1 ? `ENV V${i}=${i}` : `LABEL l${i}="x"`)
    const input = lines.join('\n')
    // CPU time, not wall time: CI machines are shared and wall time is noise there.
    const started = process.cpuUsage()
    const result = lintTextSync(input, {file: 'big/Dockerfile'})
    const used = process.cpuUsage(started)
    checkResult(result, input)
    expect((used.user + used.system) / 1000).toBeLessThan(8000)
    for (const format of FORMATS) expect(formatResults(format, [result], {rules: allRules, version: '0'}).length).toBeGreaterThan(0)
  })

  it('fixing mutated files never breaks them and is idempotent', async () => {
    const rand = prng(99)
    for (let i = 0; i < 60; i++) {
      const input = mutate(SEEDS[i % SEEDS.length], rand)
      let once
      try {
        once = await fixText(input)
      } catch (error) {
        if (isUsageError(error)) continue
        throw new Error(`fix threw on input ${JSON.stringify(input)}: ${(error as Error).message}`)
      }
      const twice = await fixText(once.text)
      expect(twice.text, JSON.stringify(input)).toBe(once.text)
    }
  })
})
