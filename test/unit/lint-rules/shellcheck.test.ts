/**
 * ShellCheck relay: the real shellcheck binary (Debian package) over shell-form RUNs. Skipped with
 * a visible reason when shellcheck is not installed; the "absent" behaviour is tested either way.
 */
import {describe, expect, it} from 'vitest'

import {lintText} from '../../../src/dockerfile/lint.js'
import {parseDockerfile} from '../../../src/dockerfile/parse.js'
import {findShellcheck, shellcheckFindings, shellcheckScripts} from '../../../src/dockerfile/shellcheck.js'

const binary = findShellcheck()

function model(text: string) {
  const {model} = parseDockerfile(text)
  if (!model) throw new Error('no model')
  return model
}

describe('shellcheck scripts', () => {
  it('mirrors hadolint: shebang from SHELL, exports for ARG/ENV seen so far, joined RUN text', () => {
    const m = model('ARG VERSION=1\nFROM debian:bookworm\nENV APP_HOME=/app\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo $VERSION \\\n  && ls $APP_HOME\nARG LATER\nRUN ["exec", "form"]\n')
    const [script] = shellcheckScripts(m)
    const lines = script.content.split('\n')
    expect(lines[0]).toBe('#!/bin/bash')
    expect(lines).toContain('export VERSION=1')
    expect(lines).toContain('export APP_HOME=1')
    expect(lines).not.toContain('export LATER=1')
    expect(lines[script.headerLines]).toBe('echo $VERSION   && ls $APP_HOME')
    expect(shellcheckScripts(m)).toHaveLength(1)
  })

  it('skips non-POSIX shells and heredocs for other interpreters', () => {
    const m = model('FROM debian:bookworm\nSHELL ["pwsh", "-Command"]\nRUN Get-Item $x\nFROM debian:bookworm\nRUN python3 <<EOF\nprint(1)\nEOF\n')
    expect(shellcheckScripts(m).map((s) => s.source.text)).toEqual(['python3 <<EOF\nprint(1)\nEOF'])
  })

  it('reports nothing, and spawns nothing, without a shellcheck binary', async () => {
    const m = model('FROM debian:bookworm\nRUN echo $UNQUOTED\n')
    expect(await shellcheckFindings(m, 'Dockerfile', null)).toEqual([])
    expect(findShellcheck({PATH: '/nonexistent'})).toBeNull()
  })
})

describe.skipIf(!binary)('shellcheck findings (shellcheck installed)', () => {
  it('relays findings as SCxxxx with ShellCheck severity at the exact token', async () => {
    const text = 'FROM debian:bookworm\nARG dir\nRUN cd $dir; \\\n    ls `pwd` $other\n'
    const {findings} = await lintText(text)
    const sc = findings.filter((f) => f.rule.startsWith('SC')).map((f) => [f.rule, f.severity, f.line, f.column])
    expect(sc).toContainEqual(['SC2164', 'warning', 3, 5]) // cd without || exit
    expect(sc).toContainEqual(['SC2006', 'style', 4, 8]) // backticks on the continuation line
    expect(sc).toContainEqual(['SC2154', 'warning', 4, 14]) // $other is never assigned
    // ARG dir is declared (exported as 1, like hadolint does): neither unassigned nor split-prone.
    expect(sc.filter((f) => f[2] === 3 && f[0] !== 'SC2164')).toEqual([])
  })

  it('checks a shell heredoc body line by line', async () => {
    const text = 'FROM debian:bookworm\nRUN <<EOF\nset -e\necho $home_dir\nEOF\n'
    const {findings} = await lintText(text)
    expect(findings.filter((f) => f.rule.startsWith('SC')).map((f) => [f.rule, f.line, f.column])).toContainEqual(['SC2154', 4, 6])
  })

  it('uses the dialect of the SHELL in effect', async () => {
    const sh = await lintText('FROM debian:bookworm\nRUN [[ -f /x ]] && echo y\n')
    const bash = await lintText('FROM debian:bookworm\nSHELL ["/bin/bash", "-c"]\nRUN [[ -f /x ]] && echo y\n')
    expect(sh.findings.map((f) => f.rule)).toContain('SC3010')
    expect(bash.findings.map((f) => f.rule)).not.toContain('SC3010')
  })

  it('honours # dk ignore=SCxxxx and --ignore shellcheck', async () => {
    const text = 'FROM debian:bookworm\n# dk ignore=SC2086\nRUN echo $HOME\n'
    expect((await lintText(text)).findings.filter((f) => f.rule === 'SC2086')).toEqual([])
    const all = await lintText('FROM debian:bookworm\nRUN echo $HOME `id`\n', {ignore: ['shellcheck']})
    expect(all.findings.filter((f) => f.rule.startsWith('SC'))).toEqual([])
  })
})

describe.skipIf(!binary)('shellcheck batching', () => {
  it('gives each of several concurrent files its own findings from one shellcheck run', async () => {
    const texts = ['FROM debian:bookworm\nRUN echo `a`\n', 'FROM debian:bookworm\nRUN echo ok\n', 'FROM debian:bookworm\nRUN true\nRUN cd /x; ls\n']
    const results = await Promise.all(texts.map((t) => shellcheckFindings(model(t), 'f')))
    const summary = results.map((r) => r.map((f) => [f.ruleId, f.range.start.line + 1]))
    expect(summary[0]).toContainEqual(['SC2006', 2])
    expect(summary[1]).toEqual([])
    expect(summary[2]).toEqual([['SC2164', 3]])
  })
})
