import {describe, expect, it} from 'vitest'

import {expectationMismatch} from '../../../src/exercises/devcheck.js'
import {demultiplex} from '../../../src/exercises/docker-ops.js'
import {parseInstructions} from '../../../src/exercises/kit.js'
import type {VerifyReport} from '../../../src/exercises/model.js'

const frame = (type: number, text: string) => {
  const body = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = type
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

describe('demultiplex', () => {
  it('splits Docker frames into stdout and stderr', () => {
    expect(demultiplex(Buffer.concat([frame(1, 'out1\n'), frame(2, 'err\n'), frame(1, 'out2\n')]))).toEqual({stdout: 'out1\nout2\n', stderr: 'err\n'})
  })
  it('passes TTY output (no frames) through as stdout', () => {
    expect(demultiplex(Buffer.from('hello world\n'))).toEqual({stdout: 'hello world\n', stderr: ''})
  })
})

describe('parseInstructions', () => {
  it('gives keyword, position, exec-form strings and the FROM image', async () => {
    const list = await parseInstructions('# c\nFROM workshop/base:1\nENTRYPOINT ["/greet.sh"]\nCMD world\nONBUILD COPY . /app\n')
    expect(list.map((i) => i.keyword)).toEqual(['FROM', 'ENTRYPOINT', 'CMD', 'ONBUILD'])
    expect(list[0]).toMatchObject({image: 'workshop/base:1', line: 2, column: 1})
    expect(list[1].json).toEqual(['/greet.sh'])
    expect(list[2].json).toBeUndefined()
    expect(list[3].trigger?.keyword).toBe('COPY')
  })
})

describe('expectationMismatch', () => {
  const report = (status: 'pass' | 'fail', reason?: string): VerifyReport => ({
    exercise: {id: 1, slug: 's', title: 't'},
    passed: status === 'pass',
    environmentProblem: false,
    runId: 'r',
    ms: 1,
    checks: [{id: 'cmd', title: 'c', status, reason, ms: 1}],
  })
  it('accepts the expected failure (reason compared case-insensitively)', () => {
    expect(expectationMismatch(report('fail', 'CMD is in Shell form'), {check: 'cmd', reason: 'shell form'})).toBeUndefined()
  })
  it('explains every other outcome', () => {
    expect(expectationMismatch(report('pass'), {check: 'cmd', reason: 'x'})).toMatch(/is pass, expected fail/)
    expect(expectationMismatch(report('fail', 'other'), {check: 'cmd', reason: 'shell form'})).toMatch(/does not contain/)
    expect(expectationMismatch(report('fail', 'x'), {check: 'nope', reason: 'x'})).toMatch(/no check "nope"/)
  })
})
