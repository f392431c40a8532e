/**
 * Every DK2xx rule: inputs that must fire (with the 1-based lines), inputs that must stay silent,
 * and, for fixable rules, the exact text after the fix.
 */
import {describe, expect, it} from 'vitest'

import type {Rule} from '../../../src/dockerfile/rule.js'
import {addLocalFile} from '../../../src/dockerfile/rules/add-local-file.js'
import {apkNoCache} from '../../../src/dockerfile/rules/apk-no-cache.js'
import {aptGetInstallYes} from '../../../src/dockerfile/rules/apt-get-install-yes.js'
import {aptGetNoInstallRecommends} from '../../../src/dockerfile/rules/apt-get-no-install-recommends.js'
import {aptListsNotCleaned} from '../../../src/dockerfile/rules/apt-lists-not-cleaned.js'
import {aptNotAptGet} from '../../../src/dockerfile/rules/apt-not-apt-get.js'
import {cdInRun} from '../../../src/dockerfile/rules/cd-in-run.js'
import {consecutiveRun} from '../../../src/dockerfile/rules/consecutive-run.js'
import {fromLatest} from '../../../src/dockerfile/rules/from-latest.js'
import {fromUntagged} from '../../../src/dockerfile/rules/from-untagged.js'
import {lastUserRoot} from '../../../src/dockerfile/rules/last-user-root.js'
import {maintainerDeprecated} from '../../../src/dockerfile/rules/maintainer-deprecated.js'
import {pipNoCacheDir} from '../../../src/dockerfile/rules/pip-no-cache-dir.js'
import {pipeWithoutPipefail} from '../../../src/dockerfile/rules/pipe-without-pipefail.js'
import {secretInArgEnv} from '../../../src/dockerfile/rules/secret-in-arg-env.js'
import {shellFormCmd} from '../../../src/dockerfile/rules/shell-form-cmd.js'
import {sudoInRun} from '../../../src/dockerfile/rules/sudo-in-run.js'
import {fixWith, linesOf, runRule} from './helpers.js'

interface Case {
  rule: Rule
  fires: [string, number[]][]
  silent: string[]
  fixes?: [string, string][]
}

const B = 'FROM busybox:latest\n'
const D = 'FROM debian:bookworm\n'

const cases: Case[] = [
  {
    rule: maintainerDeprecated,
    fires: [[`${D}MAINTAINER Jane Doe <jane@example.com>\n`, [2]], [`ARG X=1\nFROM debian:bookworm\nmaintainer jane\n`, [3]]],
    silent: [`${D}LABEL maintainer="Jane Doe <jane@example.com>"\n`],
    fixes: [
      [`${D}MAINTAINER Jane Doe <jane@example.com>\nRUN true\n`, `${D}LABEL maintainer="Jane Doe <jane@example.com>"\nRUN true\n`],
      [`${D}MAINTAINER "Jane" $HOME\n`, `${D}LABEL maintainer="\\"Jane\\" \\$HOME"\n`],
    ],
  },
  {
    rule: fromUntagged,
    fires: [[`FROM ubuntu\n`, [1]], [`FROM ubuntu:22.04 AS a\nFROM localhost:5000/team/app\n`, [2]]],
    silent: [
      `FROM ubuntu:22.04\n`,
      `FROM scratch\n`,
      `FROM ubuntu@sha256:${'a'.repeat(64)}\n`,
      `FROM busybox:latest AS Build\nFROM build\nFROM BUILD\n`,
      `ARG BASE=debian:bookworm\nFROM $BASE\nFROM \${BASE}\n`,
      `FROM --platform=linux/amd64 localhost:5000/app:1.0\n`,
    ],
  },
  {
    rule: fromLatest,
    fires: [[`FROM ubuntu:latest\n`, [1]], [`FROM busybox:latest AS base\nFROM debian:latest\n`, [1, 2]]],
    silent: [`FROM ubuntu:24.04\n`, `FROM ubuntu\n`, `FROM ubuntu:latest@sha256:${'b'.repeat(64)}\n`, `ARG TAG=latest\nFROM ubuntu:$TAG\n`, `FROM scratch\n`],
  },
  {
    rule: addLocalFile,
    fires: [[`${B}ADD server.sh /usr/local/bin/\n`, [2]], [`${B}ADD --chown=app:app ["a b.txt", "c", "/srv/"]\n`, [2]], [`${B}ADD <<EOF /etc/motd\nhello\nEOF\n`, [2]]],
    silent: [
      `${B}ADD https://example.com/app.tgz /opt/\n`,
      `${B}ADD app.tar.gz /opt/\n`,
      `${B}ADD rootfs.tar.xz /\n`,
      `${B}ADD git@github.com:moby/buildkit.git /src\n`,
      `${B}ADD --checksum=sha256:${'c'.repeat(64)} https://example.com/f /f\n`,
      `${B}ARG SRC\nADD $SRC /opt/\n`,
      `${B}COPY --chmod=755 --link server.sh /usr/local/bin/\n`,
    ],
    fixes: [
      [`${B}ADD --chown=1000 server.sh /usr/local/bin/\n`, `${B}COPY --chown=1000 server.sh /usr/local/bin/\n`],
      [`${B}add a /a\n`, `${B}copy a /a\n`],
    ],
  },
  {
    rule: shellFormCmd,
    fires: [
      [`${D}CMD memcached -u daemon\n`, [2]],
      [`${D}ENTRYPOINT exec nginx -g 'daemon off;'\nFROM busybox:latest\nCMD echo $HOME\n`, [2, 4]],
    ],
    silent: [`${D}CMD ["memcached", "-u", "daemon"]\n`, `${D}ENTRYPOINT ["nginx"]\nCMD []\n`, `${D}RUN echo shell form is fine in RUN\n`, `${D}HEALTHCHECK CMD curl -f http://localhost/\n`],
    fixes: [
      [`${D}CMD memcached -u daemon\n`, `${D}CMD ["memcached", "-u", "daemon"]\n`],
      [`${D}CMD exec nginx -g 'daemon off;'\n`, `${D}CMD ["nginx", "-g", "daemon off;"]\n`],
      [`${D}CMD python3 \\\n  -m http.server\n`, `${D}CMD ["python3", "-m", "http.server"]\n`],
      // Shell features, a shell-form ENTRYPOINT with a CMD, or a custom SHELL: no safe conversion.
      [`${D}CMD echo $HOME > /tmp/x\n`, `${D}CMD echo $HOME > /tmp/x\n`],
      [`${D}CMD ls *.txt\n`, `${D}CMD ls *.txt\n`],
      [`${D}ENTRYPOINT memcached\nCMD ["-u", "daemon"]\n`, `${D}ENTRYPOINT memcached\nCMD ["-u", "daemon"]\n`],
      [`${D}SHELL ["/bin/bash", "-lc"]\nCMD app serve\n`, `${D}SHELL ["/bin/bash", "-lc"]\nCMD app serve\n`],
      [`${D}CMD cd /srv && ./run\n`, `${D}CMD cd /srv && ./run\n`],
    ],
  },
  {
    rule: aptGetInstallYes,
    fires: [
      [`${D}RUN apt-get update && apt-get install curl\n`, [2]],
      [`${D}RUN apt-get update \\\n && sudo apt-get -q install curl\n`, [3]],
    ],
    silent: [
      `${D}RUN apt-get install -y curl\n`,
      `${D}RUN apt-get -qqy install curl\n`,
      `${D}RUN apt-get install --yes curl && apt-get --assume-yes install x\n`,
      `${D}RUN apt-get -qq install curl\n`,
      `${D}RUN apt-get -o APT::Get::Assume-Yes=true install curl\n`,
      `${D}RUN yes | apt-get install curl\n`,
      `${D}RUN ["apt-get", "install", "curl"]\n`,
      `${D}RUN echo "apt-get install curl"\n`,
      `${D}RUN apt-get update\n`,
    ],
    fixes: [
      [`${D}RUN apt-get update && apt-get install curl\n`, `${D}RUN apt-get update && apt-get -y install curl\n`],
      [`${D}RUN --mount=type=cache,target=/var/cache/apt apt-get install \\\n  curl\n`, `${D}RUN --mount=type=cache,target=/var/cache/apt apt-get -y install \\\n  curl\n`],
    ],
  },
  {
    rule: aptGetNoInstallRecommends,
    fires: [[`${D}RUN apt-get install -y curl\n`, [2]]],
    silent: [`${D}RUN apt-get install -y --no-install-recommends curl\n`, `${D}RUN apt-get -o APT::Install-Recommends=false install -y curl\n`, `${D}RUN apt-get update\n`],
    fixes: [[`${D}RUN apt-get install -y curl\n`, `${D}RUN apt-get install --no-install-recommends -y curl\n`]],
  },
  {
    rule: aptListsNotCleaned,
    fires: [
      [`${D}RUN apt-get update && apt-get install -y curl\n`, [2]],
      [`FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN true\n`, [2]],
    ],
    silent: [
      `${D}RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n`,
      `${D}RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n`,
      `${D}RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n`,
      // A build stage that does not reach the image may keep its lists.
      `FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nFROM busybox:latest\nCOPY --from=build /x /x\n`,
      // A lone update before an install is DK304's finding.
      `${D}RUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n`,
    ],
    fixes: [
      [`${D}RUN apt-get update && apt-get install -y curl\n`, `${D}RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n`],
      // A later RUN installs without updating: cleaning here would break it, so no fix.
      [`${D}RUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n`, `${D}RUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n`],
    ],
  },
  {
    rule: apkNoCache,
    fires: [[`FROM alpine:3.20\nRUN apk update && apk add curl\n`, [2]]],
    silent: [
      `FROM alpine:3.20\nRUN apk add --no-cache curl\n`,
      `FROM alpine:3.20\nRUN apk --no-cache add curl\n`,
      `FROM alpine:3.20\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n`,
      `FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n`,
      `FROM alpine:3.20\nRUN apk del curl\n`,
    ],
    fixes: [[`FROM alpine:3.20\nRUN apk add -t .deps curl\n`, `FROM alpine:3.20\nRUN apk add --no-cache -t .deps curl\n`]],
  },
  {
    rule: pipNoCacheDir,
    fires: [[`${D}RUN pip install flask && python3 -m pip install -r req.txt\n`, [2, 2]]],
    silent: [
      `${D}RUN pip install --no-cache-dir flask\n`,
      `${D}ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n`,
      `${D}RUN PIP_NO_CACHE_DIR=off pip3 install flask\n`,
      `${D}RUN --mount=type=cache,target=/root/.cache/pip pip install flask\n`,
      `${D}RUN pip download flask\n`,
    ],
    fixes: [[`${D}RUN pip3 install flask\n`, `${D}RUN pip3 install --no-cache-dir flask\n`]],
  },
  {
    rule: sudoInRun,
    fires: [[`${D}RUN sudo apt-get update && echo ok | sudo tee /x\n`, [2, 2]]],
    silent: [`${D}RUN echo sudo && apt-get update\n`, `${D}RUN useradd -G sudo app\n`, `${D}CMD ["sudo", "x"]\n`],
  },
  {
    rule: cdInRun,
    fires: [[`${D}RUN cd /usr/src/app && make\n`, [2]], [`${D}RUN <<EOF\ncd /tmp\nmake\nEOF\n`, [3]]],
    silent: [`${D}WORKDIR /usr/src/app\nRUN make\n`, `${D}RUN echo cd /tmp\n`, `${D}RUN make -C /usr/src/app\n`],
  },
  {
    rule: lastUserRoot,
    fires: [[`${B}USER app\nUSER root\n`, [3]], [`FROM busybox:latest AS base\nUSER 0:0\nFROM base\nRUN true\n`, [2]]],
    silent: [
      `${B}RUN true\n`,
      `${B}USER root\nRUN true\nUSER app\n`,
      `FROM busybox:latest AS build\nUSER root\nFROM busybox:latest\nUSER app\n`,
      `FROM busybox:latest AS base\nUSER root\nFROM base\nUSER 1000\n`,
      `FROM busybox:latest AS build\nUSER root\nFROM busybox:latest\nCOPY --from=build /x /x\n`,
    ],
  },
  {
    rule: pipeWithoutPipefail,
    fires: [[`${D}RUN wget -qO- https://example.com/i.sh | sh\n`, [2]], [`FROM busybox:latest AS a\nSHELL ["/bin/ash", "-c"]\nRUN ls | wc -l\n`, [3]]],
    silent: [
      `${D}SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -qO- https://example.com/i.sh | sh\n`,
      `${B}SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN ls | wc -l\n`,
      `${D}RUN set -euo pipefail; ls | wc -l\n`,
      `${D}RUN false || true\n`,
      `${D}RUN echo "a | b"\n`,
      `${D}SHELL ["pwsh", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n`,
      `FROM debian:bookworm AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN ls | wc -l\n`,
    ],
  },
  {
    rule: secretInArgEnv,
    fires: [[`ARG GITHUB_TOKEN\nFROM busybox:latest\nENV DB_PASSWORD=x API_KEY=y\nARG aws_secret_access_key\n`, [1, 3, 3, 4]]],
    silent: [`${B}ARG VERSION=1\nENV KEYBOARD=us TOKENIZER=bert PUBLIC_KEY=abc AUTHOR=me\n`],
  },
  {
    rule: consecutiveRun,
    fires: [[`${B}RUN mkdir -p /srv\n# a comment does not break the run\nRUN chown app /srv\n`, [4]]],
    silent: [
      `${B}RUN mkdir -p /srv\nWORKDIR /srv\nRUN touch x\n`,
      `${B}RUN --mount=type=cache,target=/c a\nRUN b\n`,
      `${B}RUN a && b && c\nRUN d\n`,
      `${B}RUN <<EOF\na\nEOF\nRUN b\n`,
      `${D}RUN apt-get update\nRUN apt-get install -y x\n`,
    ],
  },
  {
    rule: aptNotAptGet,
    fires: [[`${D}RUN apt update && apt install -y curl\n`, [2, 2]]],
    silent: [`${D}RUN apt-get update && apt-cache policy curl\n`, `${D}RUN echo apt\n`],
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
        if (before !== after) expect((await runRule(rule, after)).length).toBe(0)
      })
    }
    it('has docs whose bad example fires and whose good example is silent', async () => {
      expect((await runRule(rule, `${rule.docs.bad}\n`)).length).toBeGreaterThan(0)
      expect(await runRule(rule, `${rule.docs.good}\n`)).toEqual([])
    })
  })
}

describe('DK214 advice', () => {
  it('suggests ash on busybox and Alpine bases, bash elsewhere', async () => {
    const [busybox] = await runRule(pipeWithoutPipefail, 'FROM busybox:1.36 AS b\nFROM b\nRUN ls | wc -l\n')
    const [debian] = await runRule(pipeWithoutPipefail, 'FROM debian:bookworm\nRUN ls | wc -l\n')
    expect(busybox.message).toContain('["/bin/ash", "-o", "pipefail", "-c"]')
    expect(debian.message).toContain('["/bin/bash", "-o", "pipefail", "-c"]')
  })
})

describe('ONBUILD RUN triggers', () => {
  const text = 'FROM debian:bookworm\nONBUILD RUN sudo apt-get install curl | tee /log\nONBUILD RUN apt-get update\n'
  it('are checked by the rules about what a script does', async () => {
    for (const rule of [aptGetInstallYes, aptGetNoInstallRecommends, sudoInRun, pipeWithoutPipefail]) expect(await linesOf(rule, text)).toEqual([2])
  })
  it('are left out of the rules about this build\'s layers', async () => {
    expect(await runRule(aptListsNotCleaned, text)).toEqual([])
    expect(await runRule(consecutiveRun, text)).toEqual([])
  })
  it('get fixes at the right place', async () => {
    expect(await fixWith(aptGetInstallYes, text)).toBe('FROM debian:bookworm\nONBUILD RUN sudo apt-get -y install curl | tee /log\nONBUILD RUN apt-get update\n')
  })
})
