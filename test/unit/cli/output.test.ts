import {describe, expect, it} from 'vitest'

import {colorLevel, humanSize, table, visibleWidth} from '../../../src/cli/output.js'
import {closest, editDistance} from '../../../src/cli/suggest.js'

describe('colorLevel', () => {
  const tty = {isTTY: true}
  const pipe = {isTTY: false}
  it('no colour on a pipe or a file', () => expect(colorLevel(pipe, {})).toBe(0))
  it('colour on a TTY', () => expect(colorLevel(tty, {TERM: 'xterm'})).toBe(1))
  it('256 colours when TERM says so', () => expect(colorLevel(tty, {TERM: 'xterm-256color'})).toBe(2))
  it('NO_COLOR (non-empty) turns it off on a TTY', () => expect(colorLevel(tty, {NO_COLOR: '1', TERM: 'xterm'})).toBe(0))
  it('an empty NO_COLOR is ignored (no-color.org)', () => expect(colorLevel(tty, {NO_COLOR: '', TERM: 'xterm'})).toBe(1))
  it('FORCE_COLOR wins over NO_COLOR and a pipe', () => expect(colorLevel(pipe, {FORCE_COLOR: '1', NO_COLOR: '1'})).toBe(1))
  it('FORCE_COLOR=0 disables on a TTY', () => expect(colorLevel(tty, {FORCE_COLOR: '0', TERM: 'xterm'})).toBe(0))
  it('TERM=dumb gets none', () => expect(colorLevel(tty, {TERM: 'dumb'})).toBe(0))
})

describe('humanSize uses Docker\'s decimal units', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1_980_000, '1.98MB'],
    [199_000_000, '199MB'],
    [12_345_678_901, '12.3GB'],
  ])('%d → %s', (bytes, text) => expect(humanSize(bytes)).toBe(text))
})

describe('table', () => {
  it('pads columns to the widest cell with three spaces, like docker', () => {
    expect(table(['REPOSITORY', 'TAG'], [['busybox', 'latest'], ['debian', 'bookworm']])).toBe(
      'REPOSITORY   TAG\nbusybox      latest\ndebian       bookworm',
    )
  })
  it('ignores colour codes when measuring', () => expect(visibleWidth('\u001B[31mred\u001B[39m')).toBe(3))
})

describe('suggestions', () => {
  it('finds the closest flag', () => expect(closest('--jsn', ['--json', '--host', '--help'])).toBe('--json'))
  it('finds a transposed command', () => expect(closest('doctro', ['doctor', 'setup'])).toBe('doctor'))
  it('suggests nothing for unrelated input', () => expect(closest('xyz', ['doctor', 'setup'])).toBeUndefined())
  it('counts a transposition as one edit', () => expect(editDistance('ab', 'ba')).toBe(1))
})
