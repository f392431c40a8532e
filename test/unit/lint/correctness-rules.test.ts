import {describe, expect, it} from 'vitest'

import {lintTextSync} from '../../../src/dockerfile/lint.js'
import {correctnessRules} from '../../../src/dockerfile/rules/correctness-index.js'

/** [rule, Dockerfile that must fire at line:column, Dockerfile that must stay silent]. */
const cases: {rule: string; fires: string; at: [number, number]; silent: string}[] = [
  {rule: 'DK100', fires: 'FROM busybox\nRUN <<EOF\necho hi\n', at: [2, 7], silent: 'FROM busybox\nRUN <<EOF\necho hi\nEOF\n'},
  {rule: 'DK101', fires: '# c\nMAINTAINER x\nFROM busybox\n', at: [2, 1], silent: '# syntax=docker/dockerfile:1\nARG V=1\n# comment\nFROM busybox:${V}\n'},
  {rule: 'DK102', fires: 'FROM busybox\nONBUILD MAINTAINER x\n', at: [2, 9], silent: 'FROM busybox\nONBUILD COPY . /app/\n'},
  {rule: 'DK103', fires: 'FROM busybox\nRUN echo a &&\n    echo b\n', at: [3, 5], silent: 'FROM busybox\nRUN echo a && \\\n    echo b\nrun echo c\n'},
  {rule: 'DK104', fires: 'FROM busybox\nCOPY app.tar\n', at: [2, 6], silent: 'FROM busybox AS b\nCOPY --chmod=755 <<EOF /x\nhi\nEOF\nCOPY ["a", "b"]\nHEALTHCHECK NONE\nSHELL ["/bin/sh", "-c"]\n'},
  {rule: 'DK105', fires: "FROM busybox\nCMD ['httpd', '-f']\n", at: [2, 5], silent: 'FROM busybox\nCMD ["httpd", "-f"]\nRUN [ -f /etc/passwd ] && echo ok\n'},
  {rule: 'DK106', fires: 'FROM busybox\nEXPOSE 80 70000\n', at: [2, 11], silent: 'FROM busybox\nARG P=80\nEXPOSE 80 443/tcp 53/udp 8000-8010 ${P} 132/sctp\n'},
  {rule: 'DK107', fires: 'FROM busybox\nCMD ["a"]\nCMD ["b"]\n', at: [2, 1], silent: 'FROM busybox AS a\nCMD ["a"]\nFROM busybox\nCMD ["b"]\nONBUILD CMD ["c"]\n'},
  {rule: 'DK108', fires: 'FROM busybox\nCOPY a b /app\n', at: [2, 10], silent: 'FROM busybox\nCOPY a b /app/\nCOPY a /app\nCOPY --from=0 a b $DEST\n'},
  {rule: 'DK109', fires: 'FROM busybox AS build\nFROM busybox AS Build\n', at: [2, 17], silent: 'FROM busybox AS build\nFROM build AS test\n'},
  {rule: 'DK110', fires: 'FROM busybox AS scratch\n', at: [1, 17], silent: 'FROM scratch\nFROM busybox AS my-stage_1.0\n'},
  {rule: 'DK111', fires: 'FROM busybox AS build\nCOPY --from=build /a /b\n', at: [2, 13], silent: 'FROM busybox AS build\nFROM busybox\nCOPY --from=build /a /b\nCOPY --from=0 /a /b\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\nCOPY --from=${STAGE} /a /b\n'},
  {rule: 'DK112', fires: 'FROM busybox\nCOPY --chmode=755 a /b\n', at: [2, 8], silent: 'FROM --platform=$BUILDPLATFORM busybox\nRUN --mount=type=cache,target=/c --mount=type=secret,id=s --network=none --security=insecure true\nCOPY --chmod=755 --chown=1:1 --link --parents --exclude=*.md --exclude=*.txt a /b/\nADD --checksum=sha256:abc --keep-git-dir=true --link https://example.com/x /x\nHEALTHCHECK --interval=5s --timeout=3s --start-period=1s --start-interval=1s --retries=3 CMD true\n'},
  {rule: 'DK113', fires: 'FROM busybox\nENV A=/srv B=$A/log\n', at: [2, 14], silent: 'FROM busybox\nENV A=/srv\nENV B=$A/log PATH=/x:$PATH\n'},
  {rule: 'DK114', fires: 'FROM busybox:${VERSION}\n', at: [1, 14], silent: 'ARG VERSION=1\nFROM --platform=$BUILDPLATFORM busybox:${VERSION}\nFROM busybox:${TAG:-latest}\n'},
  {rule: 'DK115', fires: 'FROM busybox\nWORKDIR app\n', at: [2, 9], silent: 'FROM busybox AS a\nWORKDIR /srv\nWORKDIR app\nFROM a\nWORKDIR sub\nWORKDIR $HOME\n'},
  {rule: 'DK116', fires: 'FROM busybox\nSTOPSIGNAL SIGFOO\n', at: [2, 12], silent: 'FROM busybox\nSTOPSIGNAL SIGQUIT\nSTOPSIGNAL 9\nSTOPSIGNAL term\nSTOPSIGNAL SIGRTMIN+3\n'},
  {rule: 'DK117', fires: 'FROM busybox\nRUN echo a \\\n\n    && echo b\n', at: [3, 1], silent: 'FROM busybox\nRUN echo a \\\n    # a comment\n    && echo b\nRUN <<EOF\necho a\n\necho b\nEOF\n'},
  {rule: 'DK118', fires: 'FROM busybox\nRUN true\nrun true\n', at: [3, 1], silent: 'from busybox\nrun true\ncmd ["sh"]\n'},
  {rule: 'DK120', fires: 'FROM scratch AS base\nCOPY app /app\nFROM base\nHEALTHCHECK --interval=5s CMD /app -health\n', at: [4, 27], silent: 'FROM scratch AS a\nCOPY app /app\nCMD ["/app"]\nRUN ["/app", "--init"]\nFROM scratch AS b\nADD rootfs.tar.xz /\nRUN echo hi\nFROM scratch AS c\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nCMD /app\nFROM scratch\nSHELL ["/busybox/sh", "-c"]\nRUN echo hi\nFROM scratch AS d\nADD rootfs.tar.xz .\nRUN echo hi\nFROM scratch AS e\nWORKDIR /bin\nCOPY busybox sh\nRUN echo hi\nFROM scratch AS f\nRUN --mount=from=busybox,src=/bin,dst=/bin echo hi\nCOPY <<EOF /bin/sh\n#!/x\nEOF\nRUN echo hi\nFROM scratch AS g\nHEALTHCHECK CMD\nFROM busybox\nCMD httpd -f\n'},
  {rule: 'DK119', fires: 'FROM busybox\nENV PORT 11211\n', at: [2, 5], silent: 'FROM busybox\nENV PORT=11211 HOST="a b"\nLABEL a=b\n'},
]

describe('correctness rules (DK1xx)', () => {
  it('has a case for every correctness rule', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(correctnessRules.map((r) => r.id).sort())
  })

  for (const c of cases) {
    it(`${c.rule} fires`, () => {
      const result = lintTextSync(c.fires)
      const found = result.findings.filter((f) => f.rule === c.rule)
      expect(found.length, JSON.stringify(result.findings)).toBeGreaterThan(0)
      expect([found[0].line, found[0].column]).toEqual(c.at)
    })
    it(`${c.rule} stays silent on valid, modern syntax`, () => {
      const result = lintTextSync(c.silent)
      expect(result.findings.filter((f) => f.rule === c.rule)).toEqual([])
      expect(result.parseError).toBe(false)
    })
  }

  it('every rule documents itself (id, name, summary, why, bad, good) and ids are unique', () => {
    const ids = new Set<string>()
    for (const rule of correctnessRules) {
      expect(rule.id).toMatch(/^DK1\d\d$/)
      expect(rule.name).toMatch(/^[a-z][a-z0-9-]+$/)
      expect(rule.summary.length).toBeGreaterThan(10)
      expect(rule.docs.why.length).toBeGreaterThan(40)
      expect(ids.has(rule.id)).toBe(false)
      ids.add(rule.id)
    }
  })

  it("each rule's own `bad` example fires it and its `good` example does not", () => {
    for (const rule of correctnessRules) {
      const bad = lintTextSync(rule.docs.bad).findings.filter((f) => f.rule === rule.id)
      const good = lintTextSync(rule.docs.good).findings.filter((f) => f.rule === rule.id)
      expect(bad.length, `${rule.id} bad example`).toBeGreaterThan(0)
      expect(good, `${rule.id} good example`).toEqual([])
    }
  })
})

describe('DK1xx details', () => {
  const rules = (text: string, id: string) => lintTextSync(text).findings.filter((f) => f.rule === id)

  it('DK101: an empty file and a file of ARGs only', () => {
    expect(rules('', 'DK101')[0].message).toMatch(/no instructions/)
    expect(rules('ARG A=1\n', 'DK101')[0].message).toMatch(/no FROM/)
  })
  it('DK102: ONBUILD ONBUILD is chaining', () => {
    expect(rules('FROM busybox\nONBUILD ONBUILD RUN x\n', 'DK102')[0].message).toMatch(/chained/)
  })
  it('DK103 suggests the closest instruction', () => {
    expect(rules('FROM busybox\nCOPPY a /b\n', 'DK103')[0].message).toMatch(/did you mean COPY/)
  })
  it('DK104: FROM shapes, ENV without value, HEALTHCHECK types', () => {
    expect(rules('FROM busybox AS\n', 'DK104')).toHaveLength(1)
    expect(rules('FROM busybox XS b\n', 'DK104')[0].message).toMatch(/Expected AS/)
    expect(rules('FROM busybox\nENV DEBUG\n', 'DK104')[0].message).toMatch(/no value/)
    expect(rules('FROM busybox\nHEALTHCHECK NONE x\n', 'DK104')[0].message).toMatch(/NONE takes no/)
    expect(rules('FROM busybox\nHEALTHCHECK RUN x\n', 'DK104')[0].message).toMatch(/CMD <command> or NONE/)
    expect(rules('FROM busybox\nSHELL /bin/sh -c\n', 'DK104')[0].message).toMatch(/JSON array/)
    expect(rules('FROM busybox\nRUN --mount=type=cache,target=/x\n', 'DK104')).toHaveLength(1)
    // dockerd 20.10 builds a bare CMD (empty command) but refuses a bare EXPOSE.
    expect(rules('FROM busybox\nCMD\n', 'DK104')[0].severity).toBe('warning')
    expect(rules('FROM busybox\nEXPOSE\n', 'DK104')[0].severity).toBe('error')
  })
  it('DK105: broken JSON that is not single quotes is reported without a fix', () => {
    const [f] = rules('FROM busybox\nCMD ["a", "b",]\n', 'DK105')
    expect(f.fixable).toBe(false)
    expect(f.message).toMatch(/not valid JSON/)
  })
  it('DK106: host mapping and protocol casing are warnings; bad protocol is an error', () => {
    const found = rules('FROM busybox\nEXPOSE 80:8080 80/TCP 53/dns 90-80\n', 'DK106')
    expect(found.map((f) => f.severity)).toEqual(['warning', 'warning', 'error', 'error'])
  })
  it('DK107 counts ENTRYPOINT and HEALTHCHECK too', () => {
    expect(rules('FROM busybox\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\nHEALTHCHECK CMD a\nHEALTHCHECK NONE\n', 'DK107')).toHaveLength(2)
  })
  it('DK111: a later stage is an error, an unknown name a warning', () => {
    expect(rules('FROM busybox\nCOPY --from=later /a /b\nFROM busybox AS later\n', 'DK111')[0].severity).toBe('error')
    expect(rules('FROM busybox\nCOPY --from=1 /a /b\nFROM busybox\n', 'DK111')[0].severity).toBe('error')
    const unknown = rules('FROM busybox AS build\nFROM busybox\nCOPY --from=biuld /a /b\n', 'DK111')[0]
    expect(unknown.severity).toBe('warning')
    expect(unknown.message).toMatch(/stages: build/)
  })
  it('DK112: duplicate flags; --mount and --exclude may repeat', () => {
    expect(rules('FROM busybox\nCOPY --chown=1 --chown=2 a /b\n', 'DK112')[0].message).toMatch(/twice/)
    expect(rules('FROM --plaform=linux/amd64 busybox\n', 'DK112')[0].message).toMatch(/did you mean --platform/)
  })
  it('DK114 suggests a declared ARG', () => {
    expect(rules('ARG VERSION=1\nFROM busybox:${VERSON}\n', 'DK114')[0].message).toMatch(/did you mean VERSION/)
  })
  it('DK114: an ARG declared inside a stage does not count for a later FROM', () => {
    expect(rules('FROM busybox\nARG V=1\nFROM busybox:$V\n', 'DK114')).toHaveLength(1)
  })
  it('DK118 follows the majority and fixes towards it', () => {
    const [f] = lintTextSync('from busybox\nrun true\nCMD ["sh"]\n').findings.filter((x) => x.rule === 'DK118')
    expect(f.line).toBe(3)
    expect(f.edits?.[0].newText).toBe('cmd')
  })
  it('positions point at the token in CRLF files with a BOM', () => {
    const [f] = rules('\uFEFFFROM busybox\r\nCOPY a b /app\r\n', 'DK108')
    expect([f.line, f.column, f.endColumn]).toEqual([2, 10, 14])
  })
  it('the escape directive changes continuation', () => {
    expect(rules('# escape=`\nFROM busybox\nRUN echo a `\n\n  && echo b\n', 'DK117')).toHaveLength(1)
  })
})
