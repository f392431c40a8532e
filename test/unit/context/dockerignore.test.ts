/** build-context.md §2: how the docker CLI reads `.dockerignore` lines. */
import {describe, expect, it} from 'vitest'

import {parseDockerignore} from '../../../src/context/dockerignore.js'
import {PatternMatcher, PatternSyntaxError} from '../../../src/context/pattern-matcher.js'

const patterns = (text: string | Buffer) => parseDockerignore(text).map((p) => p.pattern)
const excludes = (text: string, path: string) => new PatternMatcher(parseDockerignore(text)).matchesOrParentMatches(path)

describe('.dockerignore line handling', () => {
  it('removes a UTF-8 BOM from the first line only', () => {
    expect(patterns(Buffer.from('\uFEFFa\n\uFEFFb\n'))).toEqual(['a', '\uFEFFb'])
  })

  it('splits on \\n and drops a trailing \\r (CRLF files work)', () => {
    expect(patterns('a\r\nb\r\n')).toEqual(['a', 'b'])
  })

  it('treats # as a comment only in column 0, before trimming', () => {
    expect(patterns('# comment\n # x\n\\#notes\n')).toEqual(['# x', '\\#notes'])
    expect(excludes(' # x\n', '# x')).toBe(true)
    expect(excludes('\\#notes\n', '#notes')).toBe(true)
  })

  it('has no trailing comments', () => {
    expect(patterns('a # b\n')).toEqual(['a # b'])
  })

  it('trims Go white space, so names starting or ending with blanks cannot match', () => {
    expect(patterns('  foo\t\n')).toEqual(['foo'])
    expect(excludes('  foo\n', 'foo')).toBe(true)
    expect(excludes('  foo\n', ' foo')).toBe(false)
  })

  it('turns `trail\\ ` into a trailing backslash, a syntax error', () => {
    expect(patterns('trail\\ \n')).toEqual(['trail\\'])
    expect(() => new PatternMatcher(parseDockerignore('trail\\ \n'))).toThrow(PatternSyntaxError)
  })

  it('skips empty lines and keeps line numbers', () => {
    const parsed = parseDockerignore('\n\na\n\n# c\nb\n')
    expect(parsed.map((p) => [p.pattern, p.origin?.line])).toEqual([
      ['a', 3],
      ['b', 6],
    ])
  })

  it('trims after ! too, and rejects a lone !', () => {
    expect(patterns('!  sub/keep.txt\n')).toEqual(['!sub/keep.txt'])
    expect(() => new PatternMatcher(parseDockerignore('!\n'))).toThrow('illegal exclusion pattern: "!"')
    expect(() => new PatternMatcher(parseDockerignore('!   \n'))).toThrow('illegal exclusion pattern')
  })

  it('cleans paths like filepath.Clean and removes one leading slash', () => {
    expect(patterns('./foo\na/../b\nx//y\nz/./w\nq/.\nfoo/\n/../bar\n/abs\n../foo\n.\n./\n/\n..\n')).toEqual([
      'foo', 'b', 'x/y', 'z/w', 'q', 'foo', 'bar', 'abs', '../foo', '.', '.', '/', '..',
    ])
  })

  it('lets `foo/` exclude a regular file named foo', () => {
    expect(excludes('foo/\n', 'foo')).toBe(true)
  })

  it('excludes nothing with `.`, `./`, `/`, `..` and `../foo`', () => {
    for (const p of ['.', './', '/', '..', '../foo']) {
      for (const path of ['foo', 'a/b', '.hidden']) expect(excludes(`${p}\n`, path)).toBe(false)
    }
  })

  it('rejects every syntax error up front, even if it could never match', () => {
    for (const bad of ['a[', 'sub/[', 'trail\\ ']) {
      expect(() => new PatternMatcher(parseDockerignore(`${bad}\n`)), bad).toThrow('syntax error in pattern')
    }
  })

  it('refuses lines longer than Go bufio.Scanner accepts', () => {
    expect(() => parseDockerignore(`${'a'.repeat(70_000)}\n`)).toThrow('token too long')
  })
})
