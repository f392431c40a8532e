/** build-context.md §3: the four pattern kinds and the per-path decision of patternmatcher. */
import {describe, expect, it} from 'vitest'

import {parseDockerignore} from '../../../src/context/dockerignore.js'
import {Pattern, PatternMatcher, PatternSyntaxError} from '../../../src/context/pattern-matcher.js'

const m = (text: string) => new PatternMatcher(parseDockerignore(text))
const ex = (text: string, path: string) => m(text).matchesOrParentMatches(path)

describe('pattern kinds', () => {
  it.each([
    ['foo', 'exact'],
    ['x{1}', 'exact'],
    ['a|b', 'exact'],
    ['dir/**', 'prefix'],
    ['a**', 'prefix'],
    ['**/foo', 'suffix'],
    ['**.log', 'suffix'],
    ['**', 'suffix'],
    ['*.log', 'regexp'],
    ['a/**/b', 'regexp'],
    ['\\*', 'regexp'],
    ['[a-c]', 'regexp'],
    ['**/**', 'regexp'],
  ])('%j is %s', (p, kind) => {
    expect(new Pattern(p, false).matchKind()).toBe(kind)
  })
})

describe('matching (anchored, case-sensitive, byte-exact)', () => {
  it('anchors every pattern at the root: *.log and node_modules only at the top', () => {
    expect(ex('*.log', 'a.log')).toBe(true)
    expect(ex('*.log', 'sub/b.log')).toBe(false)
    expect(ex('node_modules', 'pkg/node_modules/y.js')).toBe(false)
    expect(ex('node_modules', 'node_modules/y.js')).toBe(true)
    expect(ex('.*', 'sub/.env')).toBe(false)
  })

  it('is case-sensitive and compares bytes (NFC pattern, NFD name)', () => {
    expect(ex('*.LOG', 'a.log')).toBe(false)
    expect(ex('caf\u00e9', 'cafe\u0301')).toBe(false)
    expect(ex('caf\u00e9', 'caf\u00e9')).toBe(true)
  })

  it('exact: literal braces, bars and parens', () => {
    expect(ex('x{1}', 'x{1}')).toBe(true)
    expect(ex('x{1}', 'x')).toBe(false)
    expect(ex('a|b', 'a')).toBe(false)
  })

  it('prefix: dir/** matches below dir but not dir itself; a** is a plain prefix', () => {
    const p = new Pattern('dir/**', false)
    expect(p.match('dir/a')).toBe(true)
    expect(p.match('dir')).toBe(false)
    expect(new Pattern('a**', false).match('apple')).toBe(true)
    expect(new Pattern('a**', false).match('a/b')).toBe(true)
  })

  it('suffix: a plain ends-with test, and **/foo also matches foo', () => {
    expect(ex('**.log', 'x.log')).toBe(true)
    expect(ex('**.log', 'd/y.log')).toBe(true)
    expect(ex('**foo', 'x/barfoo')).toBe(true)
    expect(ex('**/foo', 'foo')).toBe(true)
    expect(ex('**/foo', 'a/b/foo')).toBe(true)
    expect(ex('**/foo', 'afoo')).toBe(false)
  })

  it('regexp: * and ? stop at /, ? is one code point, ** is whole directories', () => {
    expect(ex('emoji-?.txt', 'emoji-😀.txt')).toBe(true)
    expect(ex('a?c', 'a/c')).toBe(false)
    expect(ex('a/**/b', 'a/b')).toBe(true)
    expect(ex('a/**/b', 'a/x/y/b')).toBe(true)
    expect(ex('*', 'a/b')).toBe(true) // via the parent a
    expect(new Pattern('*', false).match('a/b')).toBe(false)
  })

  it('character classes are RE2 classes: [!a] is not a negation, POSIX classes work', () => {
    expect(ex('[a-c]x', 'bx')).toBe(true)
    expect(ex('[^a]x', 'bx')).toBe(true)
    expect(ex('[^a]x', 'ax')).toBe(false)
    expect(ex('[!a]*', '!x')).toBe(true)
    expect(ex('[!a]*', 'ax')).toBe(true)
    expect(ex('[!a]*', 'bx')).toBe(false)
    expect(ex('[[:digit:]]*', '7up')).toBe(true)
    expect(ex('[[:digit:]]*', 'up')).toBe(false)
  })

  it('escapes: \\* \\? \\[ are literal, \\d \\w \\s \\b are RE2 classes and assertions', () => {
    expect(ex('star\\*', 'star*')).toBe(true)
    expect(ex('star\\*', 'starx')).toBe(false)
    expect(ex('q\\?', 'q?')).toBe(true)
    expect(ex('\\[x', '[x')).toBe(true)
    expect(ex('\\d\\d', '22')).toBe(true)
    expect(ex('q\\w', 'qz')).toBe(true)
    expect(ex('q\\w', 'q-')).toBe(false)
    expect(ex('a\\sb', 'a b')).toBe(true)
    expect(ex('a\\sb', 'a\u00a0b')).toBe(false) // RE2's \s is ASCII only
  })

  it('escapes . + ( ) $ so they are literal', () => {
    expect(ex('a+b*', 'a+b.txt')).toBe(true)
    expect(ex('a+b*', 'ab.txt')).toBe(false)
    expect(ex('(p)*', '(p).md')).toBe(true)
    expect(ex('(p)*', 'p.md')).toBe(false)
    expect(ex('*.txt', 'atxt')).toBe(false)
  })

  it('reproduces the { } | regexp leak of regexp-kind patterns', () => {
    expect(ex('x{1}*', 'x.txt')).toBe(true)
    expect(ex('y{2}*', 'yy.txt')).toBe(true)
    expect(ex('y{2}*', 'y{2}.txt')).toBe(false)
    expect(ex('a|b*', 'apple')).toBe(true)
    expect(ex('a|b*', 'a/in')).toBe(true)
    expect(ex('a|b*', 'cab')).toBe(true)
    expect(ex('a|b*', 'sub/xb.txt')).toBe(true)
    expect(ex('a|b*', 'cat')).toBe(false)
  })

  it('. in ** does not cross a newline (RE2 without the s flag)', () => {
    expect(new Pattern('a/**/b', false).match('a/x\ny/b')).toBe(false)
    expect(new Pattern('a*b', false).match('a\nb')).toBe(true)
  })

  it('compiles lazily: a bad regexp fails when first tried, with the line', () => {
    const matcher = m('ok\n[z-a]\n')
    let error: unknown
    try {
      matcher.matchesOrParentMatches('x')
    } catch (error_) {
      error = error_
    }
    expect(error).toBeInstanceOf(PatternSyntaxError)
    expect((error as PatternSyntaxError).origin?.line).toBe(2)
    // an exception is only tried once something is excluded
    expect(m('![z-a]\n').matchesOrParentMatches('x')).toBe(false)
  })
})

describe('the decision for a path', () => {
  it('last applicable pattern wins', () => {
    expect(ex('!keep.txt\n*.txt\n', 'keep.txt')).toBe(true)
    expect(ex('*.txt\n!keep.txt\n', 'keep.txt')).toBe(false)
  })

  it('excluding a dir excludes its subtree unless a later exception matches the path or an ancestor', () => {
    const text = 'src\n!src/sub\nsrc/sub/x\n'
    expect(ex(text, 'src/z')).toBe(true)
    expect(ex(text, 'src/sub/y')).toBe(false)
    expect(ex(text, 'src/sub/x')).toBe(true)
  })

  it('MatchesUsingParentResults inherits parent matches whatever the state', () => {
    const matcher = m('sub\n!sub/keep.txt\n')
    const dir = matcher.matchesUsingParentResults('sub', undefined)
    expect(dir.excluded).toBe(true)
    const keep = matcher.matchesUsingParentResults('sub/keep.txt', dir.info)
    expect(keep.excluded).toBe(false)
    expect(keep.decidedBy).toBe(1)
    expect(matcher.matchesUsingParentResults('sub/other', dir.info)).toMatchObject({excluded: true, decidedBy: 0})
  })

  it('the deprecated Matches checks one parent only (moby/moby#40090)', () => {
    const matcher = m('**/ci\n')
    expect(matcher.matchesOneParent('a/build/ci/Dockerfile')).toBe(false)
    expect(matcher.matchesOrParentMatches('a/build/ci/Dockerfile')).toBe(true)
    expect(matcher.matchesOneParent('build/ci/Dockerfile')).toBe(true)
  })

  it('knows whether there are exceptions', () => {
    expect(m('a\n').exclusions).toBe(false)
    expect(m('a\n!b\n').exclusions).toBe(true)
  })
})
