/** Every DK3xx rule: fires, stays silent, fixes; the Deis profile raises severities. */
import {describe, expect, it} from 'vitest'

import {lintText} from '../../../src/dockerfile/lint.js'
import type {Rule} from '../../../src/dockerfile/rule.js'
import {aptGetUpdateAlone} from '../../../src/dockerfile/rules/apt-get-update-alone.js'
import {consecutiveLabels} from '../../../src/dockerfile/rules/consecutive-labels.js'
import {deisCmdRequired} from '../../../src/dockerfile/rules/deis-cmd-required.js'
import {deisExposeOnePort, portKeys} from '../../../src/dockerfile/rules/deis-expose-one-port.js'
import {entrypointShellFormWithCmd} from '../../../src/dockerfile/rules/entrypoint-shell-form-with-cmd.js'
import {execFormSplitWords, gluedReason, splitWords} from '../../../src/dockerfile/rules/exec-form-split-words.js'
import {fixWith, linesOf, runRule} from './helpers.js'

interface Case {
  rule: Rule
  fires: [string, number[]][]
  silent: string[]
  fixes?: [string, string][]
}

const B = 'FROM busybox:latest\n'
const U = 'FROM ubuntu:wily\n'
const OK = 'EXPOSE 80\nCMD ["httpd", "-f"]\n'

const cases: Case[] = [
  {
    rule: execFormSplitWords,
    fires: [
      [`${U}RUN ["apt-get", "install -y memcached"]\n`, [2]],
      [`${U}CMD ["memcached -u daemon"]\n`, [2]],
      [`${U}ENTRYPOINT ["memcached", "-u daemon"]\n`, [2]],
      [`${U}RUN ["apt-get", "install memcached"]\n`, [2]],
      [`${U}CMD ["java", "-Xmx512m -jar", "app.jar"]\n`, [2]],
      [`${U}SHELL ["/bin/bash -c"]\n`, [2]],
      [`${U}HEALTHCHECK --interval=5s CMD ["curl -f http://localhost/"]\n`, [2]],
      [`${U}CMD ["memcached", \\\n  "-u daemon"]\n`, [3]],
    ],
    silent: [
      `${U}CMD ["memcached", "-u", "daemon"]\n`,
      `${U}CMD ["sh", "-c", "memcached -u daemon"]\n`,
      `${U}CMD ["/bin/bash", "-lc", "exec memcached -u daemon"]\n`,
      `${U}CMD ["nginx", "-g", "daemon off;"]\n`,
      `${U}CMD ["python3", "-c", "import http.server as s; s.test()"]\n`,
      `${U}CMD ["echo", "hello -n world"]\n`,
      `${U}CMD ["cmd", "/S", "/C", "dir /b"]\n`,
      `${U}CMD ["C:\\\\Program Files\\\\app.exe", "--serve"]\n`,
      `${U}CMD ["app", "--title=My App", "Hello World"]\n`,
      `${U}CMD ["git", "commit", "-m", "a message -with dash"]\n`,
      `${U}CMD memcached -u daemon\n`,
      `${U}RUN echo "install -y memcached"\n`,
      `${U}HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n`,
      `${U}HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n`,
      `${U}HEALTHCHECK NONE\n`,
    ],
    fixes: [
      [`${U}RUN ["apt-get", "install -y memcached"]\n`, `${U}RUN ["apt-get", "install", "-y", "memcached"]\n`],
      [`${U}CMD ["memcached -u daemon"]\n`, `${U}CMD ["memcached", "-u", "daemon"]\n`],
      [`${U}CMD [ "nginx -g 'daemon off;'" ]\n`, `${U}CMD [ "nginx", "-g", "daemon off;" ]\n`],
      [`${U}HEALTHCHECK CMD ["curl -f http://localhost/"]\n`, `${U}HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n`],
      [`${U}CMD ["memcached", \\\n  "-u daemon"]\n`, `${U}CMD ["memcached", \\\n  "-u", "daemon"]\n`],
      // Shell syntax inside: it needed a shell, not a split; the finding stays without a fix.
      [`${U}CMD ["memcached -u $USER"]\n`, `${U}CMD ["memcached -u $USER"]\n`],
    ],
  },
  {
    rule: deisExposeOnePort,
    fires: [
      [`${B}EXPOSE 80 443\nCMD ["httpd"]\n`, [2]],
      [`${B}EXPOSE 80\nEXPOSE 8080/tcp\nCMD ["httpd"]\n`, [3]],
      [`${B}EXPOSE 8000-8010\n`, [2]],
      [`${B}CMD ["httpd"]\n`, [1]],
      [`FROM busybox:latest AS base\nEXPOSE 80\nFROM base\nEXPOSE 81\n`, [4]],
    ],
    silent: [
      `${B}EXPOSE 80\n`,
      `${B}EXPOSE 80 80/tcp\nEXPOSE 80/TCP\n`,
      `${B}ARG PORT=5000\nEXPOSE $PORT\n`,
      `FROM busybox:latest AS build\nEXPOSE 1 2 3\nFROM busybox:latest\nEXPOSE 8080\n`,
      `FROM busybox:latest AS base\nEXPOSE 80\nFROM base\nCMD ["httpd"]\n`,
    ],
  },
  {
    rule: deisCmdRequired,
    fires: [[`${B}EXPOSE 80\n`, [1]], [`FROM busybox:latest AS a\nCMD ["x"]\nFROM busybox:latest\nEXPOSE 80\n`, [3]]],
    silent: [`${B}${OK}`, `${B}ENTRYPOINT ["httpd", "-f"]\n`, `FROM busybox:latest AS base\nCMD ["httpd"]\nFROM base\nEXPOSE 80\n`],
  },
  {
    rule: aptGetUpdateAlone,
    fires: [
      [`${U}RUN apt-get update -qq\nRUN apt-get install -q -y memcached\n`, [2]],
      [`${U}RUN apt-get update && apt-get upgrade -y\nWORKDIR /x\nRUN apt-get install -y curl\n`, [2]],
    ],
    silent: [
      `${U}RUN apt-get update -qq && apt-get install -q -y memcached\n`,
      `${U}RUN apt-get update\n`,
      `FROM ubuntu:wily AS a\nRUN apt-get update\nFROM ubuntu:wily\nRUN apt-get install -y x\n`,
      `${U}RUN echo apt-get update\nRUN apt-get install -y x\n`,
    ],
    fixes: [
      [`${U}RUN apt-get update -qq\nRUN apt-get install -q -y memcached\n`, `${U}RUN apt-get update -qq && apt-get install -q -y memcached\n`],
      [
        `${U}RUN apt-get update\n\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y x\n`,
        `${U}RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y x\n`,
      ],
      // Not mergeable: something in between, a comment in between, or flags on the update RUN.
      [`${U}RUN apt-get update\nENV A=1\nRUN apt-get install -y x\n`, `${U}RUN apt-get update\nENV A=1\nRUN apt-get install -y x\n`],
      [`${U}RUN apt-get update\n# why\nRUN apt-get install -y x\n`, `${U}RUN apt-get update\n# why\nRUN apt-get install -y x\n`],
      [`${U}RUN --network=host apt-get update\nRUN apt-get install -y x\n`, `${U}RUN --network=host apt-get update\nRUN apt-get install -y x\n`],
    ],
  },
  {
    rule: consecutiveLabels,
    fires: [[`${B}LABEL a=1\nLABEL b=2\n\nLABEL c="x y"\n`, [3, 5]]],
    silent: [`${B}LABEL a=1 b=2\n`, `${B}LABEL a=1\nRUN true\nLABEL b=2\n`, `FROM busybox:latest AS x\nLABEL a=1\nFROM busybox:latest\nLABEL b=2\n`],
    fixes: [
      [`${B}LABEL a=1\nLABEL b=2\nLABEL c="x y"\n`, `${B}LABEL a=1 \\\n      b=2 \\\n      c="x y"\n`],
      [`# escape=\`\n${B}LABEL a=1\nLABEL b=2\n`, `# escape=\`\n${B}LABEL a=1 \`\n      b=2\n`],
      // Legacy `LABEL key value` cannot share a line.
      [`${B}LABEL a 1\nLABEL b=2\n`, `${B}LABEL a 1\nLABEL b=2\n`],
    ],
  },
  {
    rule: entrypointShellFormWithCmd,
    fires: [[`${B}ENTRYPOINT httpd -f\nCMD ["-p", "80"]\n`, [3]], [`FROM busybox:latest AS base\nENTRYPOINT httpd -f\nFROM base\nCMD ["-p", "80"]\n`, [4]]],
    silent: [`${B}ENTRYPOINT ["httpd", "-f"]\nCMD ["-p", "80"]\n`, `${B}ENTRYPOINT httpd -f\n`, `${B}CMD httpd -f\n`],
  },
]

for (const {rule, fires, silent, fixes} of cases) {
  describe(`${rule.id} ${rule.name}`, () => {
    it.each(fires)('fires on %j', async (text, lines) => {
      expect(await linesOf(rule, text)).toEqual(lines)
    })
    it.each(silent.map((s) => [s]))('stays silent on %j', async (text) => {
      expect(await runRule(rule, text)).toEqual([])
    })
    if (fixes) {
      it.each(fixes)('fixes %j', async (before, after) => {
        expect(await fixWith(rule, before)).toBe(after)
        if (before !== after) expect(await runRule(rule, after)).toEqual([])
      })
    }
    it('has docs whose bad example fires and whose good example is silent', async () => {
      expect((await runRule(rule, `${rule.docs.bad}\n`)).length).toBeGreaterThan(0)
      expect(await runRule(rule, `${rule.docs.good}\n`)).toEqual([])
    })
  })
}

describe('Deis profile', () => {
  it('reports the Deis rules as warnings by default and errors with profile deis', async () => {
    const text = `${B}EXPOSE 80 443\n`
    for (const rule of [deisExposeOnePort, deisCmdRequired]) {
      const [plain] = await runRule(rule, text)
      const [deis] = await runRule(rule, text, {profile: 'deis'})
      expect(plain.severity ?? rule.severity).toBe('warning')
      expect(deis.severity).toBe('error')
    }
  })
})

describe('exec-form helpers', () => {
  it('counts ports as Docker does', () => {
    expect(portKeys('80')).toEqual(['80/tcp'])
    expect(portKeys('53/UDP')).toEqual(['53/udp'])
    expect(portKeys('8000-8002')).toEqual(['8000/tcp', '8001/tcp', '8002/tcp'])
    expect(portKeys('$PORT')).toEqual(['$PORT'])
  })

  it('splits words with quotes and refuses shell syntax', () => {
    expect(splitWords(`nginx -g 'daemon off;'`)).toEqual(['nginx', '-g', 'daemon off;'])
    expect(splitWords('a\\ b c')).toEqual(['a b', 'c'])
    expect(splitWords('a | b')).toBeUndefined()
    expect(splitWords('ls *.txt')).toBeUndefined()
    expect(splitWords('echo "$HOME"')).toBeUndefined()
  })

  it('explains why an element is glued', () => {
    expect(gluedReason(['memcached -u daemon'], 0)).toMatch(/executable/)
    expect(gluedReason(['apt-get', 'install -y memcached'], 1)).toMatch(/option/)
    expect(gluedReason(['sh', '-c', 'a -b'], 2)).toBeUndefined()
  })

  it('checks the command behind an init or user wrapper as its own argv', () => {
    expect(gluedReason(['tini', '--', 'memcached -u daemon'], 2)).toMatch(/executable is the whole string 'memcached -u daemon'/)
    expect(gluedReason(['/sbin/tini', '-s', '--', 'memcached', '-u daemon'], 4)).toMatch(/option/)
    expect(gluedReason(['tini', '-e', '143', 'nginx -g x'], 3)).toMatch(/executable/)
    expect(gluedReason(['dumb-init', 'memcached -u daemon'], 1)).toMatch(/executable/)
    expect(gluedReason(['gosu', 'app', 'apt-get', 'install -y x'], 3)).toMatch(/option/)
    expect(gluedReason(['env', 'A=1', '-u', 'B', 'memcached -p 1'], 4)).toMatch(/executable/)
    // The wrapper's own option values and the wrapped command's option values stay fine.
    expect(gluedReason(['tini', '-e', '143', '--', 'nginx', '-g', 'daemon off;'], 6)).toBeUndefined()
    expect(gluedReason(['tini', '--', 'sh', '-c', 'a -b'], 4)).toBeUndefined()
    expect(gluedReason(['env', 'GREETING=hello world', 'app'], 1)).toBeUndefined()
    expect(gluedReason(['dumb-init', 'npm', 'start', '--', 'x y'], 4)).toBeUndefined()
    expect(gluedReason(['env', 'JAVA_OPTS=-Xmx1g -Xms1g', 'java', '-jar', 'app.jar'], 1)).toBeUndefined()
    expect(gluedReason(['env', '-S', 'node --inspect app.js'], 2)).toBeUndefined()
    expect(gluedReason(['env', '-C', '/app', 'node app.js'], 3)).toMatch(/executable/)
    // `--` ends options: the operand after it is not an option's value.
    expect(gluedReason(['npm', 'run', 'start', '--', '--port 80'], 4)).toMatch(/option/)
  })

  it('fixes a glued command behind tini', async () => {
    const text = 'FROM debian:bookworm\nENTRYPOINT ["tini", "--", "memcached -u daemon"]\n'
    const [finding] = (await lintText(text)).findings.filter((f) => f.rule === 'DK301')
    expect([finding.line, finding.column]).toEqual([2, 27])
    expect(finding.edits?.[0].newText).toBe('"memcached", "-u", "daemon"')
  })
})
