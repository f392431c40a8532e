/** Users of hadolint and BuildKit can keep their suppressions: the aliases reach the practice rules. */
import {describe, expect, it} from 'vitest'

import {lintText} from '../../../src/dockerfile/lint.js'

const rulesOf = async (text: string, ignore?: string[]) =>
  (await lintText(text, {ignore})).findings
    .map((f) => f.rule)
    .filter((r) => /^DK[23]/.test(r))
    .sort()

describe('aliases of practice rules', () => {
  const base = 'FROM debian:bookworm\nEXPOSE 80\n'

  it('honours # hadolint ignore= on the next instruction', async () => {
    const text = `${base}# hadolint ignore=DL3014,DL3015,DL3009\nRUN apt-get update && apt-get install curl\nCMD ["x"]\n`
    expect(await rulesOf(text)).toEqual([])
    expect(await rulesOf(text.replace('# hadolint ignore=DL3014,DL3015,DL3009\n', ''))).toEqual(['DK206', 'DK207', 'DK208'])
  })

  it("honours BuildKit's # check=skip= for the whole file", async () => {
    const text = `# check=skip=JSONArgsRecommended,MaintainerDeprecated\n${base}MAINTAINER me\nCMD memcached -u daemon\n`
    expect(await rulesOf(text)).toEqual([])
  })

  it('accepts rule names and tool ids in --ignore', async () => {
    const text = `${base}RUN cd /tmp && sudo make\nCMD ["x"]\n`
    expect(await rulesOf(text)).toEqual(['DK211', 'DK212'])
    expect(await rulesOf(text, ['cd-in-run', 'hadolint:DL3004'])).toEqual([])
  })
})
