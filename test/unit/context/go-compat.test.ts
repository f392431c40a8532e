/** The Go functions behind `.dockerignore` line handling (build-context.md §2). */
import {describe, expect, it} from 'vitest'

import {goClean, goMatchSyntaxError, goTrimSpace} from '../../../src/context/go-compat.js'

describe('Go strings.TrimSpace', () => {
  it('trims ASCII and Unicode white space but not U+FEFF', () => {
    expect(goTrimSpace(' \t\v\f\r\n x \u0085\u00a0\u3000')).toBe('x')
    expect(goTrimSpace('\ufeffx')).toBe('\ufeffx')
  })
})

describe('Go filepath.Clean', () => {
  it.each([
    ['./foo', 'foo'],
    ['a/../b', 'b'],
    ['x//y', 'x/y'],
    ['z/./w', 'z/w'],
    ['q/.', 'q'],
    ['foo/', 'foo'],
    ['/../bar', '/bar'],
    ['../foo', '../foo'],
    ['a/../../b', '../b'],
    ['', '.'],
    ['.', '.'],
    ['/', '/'],
    ['!./foo', '!./foo'],
    ['!/', '!'],
  ])('Clean(%j) = %j', (input, expected) => {
    expect(goClean(input)).toBe(expected)
  })
})

describe('Go filepath.Match syntax errors (checked against ".")', () => {
  it.each(['a[', 'sub/[', 'trail\\', '[]a]', '[a-]', '*[', 'x*[a'])('%j is a syntax error', (p) => {
    expect(goMatchSyntaxError(p)).toBe(true)
  })
  it.each(['a', '*.txt', '[a-c]', '[^a]', '[!a]', '\\*', '[z-a]', 'a]', '**/x', '[[:digit:]]*'])('%j is accepted', (p) => {
    expect(goMatchSyntaxError(p)).toBe(false)
  })
})
