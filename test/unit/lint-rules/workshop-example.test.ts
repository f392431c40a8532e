/**
 * The workshop's memcached Dockerfile, through the whole lint engine (every rule, not only mine):
 * the findings a teacher would point out, and the text `--fix` turns it into, which lints clean.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {fixText} from '../../../src/dockerfile/fix.js'
import {lintText} from '../../../src/dockerfile/lint.js'
import {repoRoot} from '../../helpers/cli.js'

const fixture = join(repoRoot, 'test', 'fixtures', 'lint', 'workshop-memcached.Dockerfile')
const text = readFileSync(fixture, 'utf8')

describe('workshop memcached Dockerfile', () => {
  it('lints with the findings a teacher would point out', async () => {
    const {findings} = await lintText(text, {file: 'workshop-memcached.Dockerfile'})
    expect(findings.map((f) => [f.line, f.column, f.rule, f.severity, f.fixable])).toEqual([
      [2, 1, 'DK201', 'warning', true], // MAINTAINER → LABEL maintainer
      [3, 5, 'DK304', 'warning', true], // apt-get update alone: stale cache
      [4, 5, 'DK207', 'info', true], // --no-install-recommends
    ])
  })

  it('is turned into a clean Dockerfile by --fix', async () => {
    const fixed = await fixText(text, {file: 'workshop-memcached.Dockerfile'})
    expect(fixed.text).toBe(
      [
        'FROM ubuntu:wily',
        'LABEL maintainer="Jane Doe <jane@example.com>"',
        'RUN apt-get update -qq && apt-get install --no-install-recommends -q -y memcached && rm -rf /var/lib/apt/lists/*',
        'CMD ["memcached", "-u", "daemon"]',
        'EXPOSE 11211',
        '',
      ].join('\n'),
    )
    expect(fixed.result.findings).toEqual([])
    // Idempotent: a second --fix changes nothing.
    const again = await fixText(fixed.text, {file: 'workshop-memcached.Dockerfile'})
    expect(again.changed).toBe(false)
  })

  it('is fixed the same way with CRLF line endings, which are kept', async () => {
    const crlf = text.replace(/\n/g, '\r\n')
    const fixed = await fixText(crlf, {file: 'workshop-memcached.Dockerfile'})
    expect(fixed.text).toBe((await fixText(text)).text.replace(/\n/g, '\r\n'))
    expect(fixed.result.findings).toEqual([])
  })

  it('is an error under the deis profile only when Deis needs are missing', async () => {
    const {findings} = await lintText(text, {file: 'workshop-memcached.Dockerfile', profile: 'deis'})
    expect(findings.filter((f) => f.rule.startsWith('DK30') && f.severity === 'error')).toEqual([])
    const broken = await lintText(text.replace('EXPOSE 11211', 'EXPOSE 11211 11212'), {profile: 'deis'})
    expect(broken.findings.filter((f) => f.rule === 'DK302').map((f) => [f.line, f.severity])).toEqual([[6, 'error']])
  })
})

describe('multi-line fixes in CRLF files', () => {
  it('merges LABELs with CRLF continuation lines', async () => {
    const text = 'FROM busybox:1.36\r\nLABEL a=1\r\nLABEL b=2\r\nEXPOSE 80\r\nCMD ["httpd"]\r\n'
    const fixed = await fixText(text)
    expect(fixed.text).toBe('FROM busybox:1.36\r\nLABEL a=1 \\\r\n      b=2\r\nEXPOSE 80\r\nCMD ["httpd"]\r\n')
    expect(fixed.result.findings).toEqual([])
  })
})
