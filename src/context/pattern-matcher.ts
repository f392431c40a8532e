/**
 * A port of moby/patternmatcher, the matcher behind the docker CLI's `.dockerignore` handling.
 *
 * What makes it Docker's and not gitignore's: every pattern is anchored at the context root; a
 * pattern is compiled into one of four kinds (exact, prefix `foo**`, suffix `**foo`, regexp); `?` is
 * one character (code point); `[`, `]`, `{`, `}`, `|` and `\x` reach Go's RE2 unescaped (dk keeps
 * these leaks on purpose: matching Docker is the point, see docs/context.md); patterns compile lazily
 * on first use, as in Go, so a bad regexp fails only when it is tried; the decision for a path is
 * "last applicable pattern wins", where a pattern also counts as matching when it matched one of
 * the path's parent directories.
 */
import {goClean, goDir, goMatchSyntaxError, goTrimSpace} from './go-compat.js'
import {compileRe2, Re2SyntaxError} from './re2.js'

export type PatternKind = 'exact' | 'prefix' | 'suffix' | 'regexp'

/** Where a pattern came from, for messages: `.dockerignore` line, or dk's own always-send rule. */
export interface PatternOrigin {
  file: string
  line: number
  /** The line as written (before trimming and cleaning). */
  text: string
}

/** A pattern that Docker rejects. `origin` says which line. */
export class PatternSyntaxError extends Error {
  constructor(
    message: string,
    readonly origin?: PatternOrigin,
  ) {
    super(message)
  }
}

export class Pattern {
  private kind: PatternKind | undefined
  private regexp: RegExp | undefined
  /** The path split on `/`, used by the deprecated one-parent `Matches`. */
  readonly dirs: string[]

  constructor(
    /** The cleaned pattern without its `!`. */
    readonly cleaned: string,
    readonly exclusion: boolean,
    readonly origin?: PatternOrigin,
  ) {
    this.dirs = cleaned.split('/')
  }

  /** The pattern kind, compiling on first use (throws PatternSyntaxError for a bad regexp). */
  matchKind(): PatternKind {
    if (this.kind === undefined) this.compile()
    return this.kind as PatternKind
  }

  match(path: string): boolean {
    switch (this.matchKind()) {
      case 'exact':
        return path === this.cleaned
      case 'prefix':
        return path.startsWith(this.cleaned.slice(0, -2))
      case 'suffix': {
        const suffix = this.cleaned.slice(2)
        if (path.endsWith(suffix)) return true
        // `**/foo` also matches `foo` at the root.
        return suffix[0] === '/' && path === suffix.slice(1)
      }
      default:
        return (this.regexp as RegExp).test(path)
    }
  }

  /** The Go regexp source patternmatcher builds (exposed for `--why` and tests). */
  regexpSource(): string {
    return buildRegexp(this.cleaned).source
  }

  private compile(): void {
    const {source, kind} = buildRegexp(this.cleaned)
    if (kind === 'regexp') {
      try {
        this.regexp = compileRe2(source)
      } catch (error) {
        if (error instanceof Re2SyntaxError) throw new PatternSyntaxError('syntax error in pattern', this.origin)
        throw error
      }
    }
    this.kind = kind
  }
}

/** patternmatcher's `compile`: the kind and the Go regexp text, character by character. */
function buildRegexp(pattern: string): {source: string; kind: PatternKind} {
  const chars = Array.from(pattern)
  let source = '^'
  let kind: PatternKind = 'exact'
  let pos = 0
  for (let i = 0; pos < chars.length; i++) {
    const ch = chars[pos++]
    if (ch === '*') {
      if (chars[pos] === '*') {
        pos++
        if (chars[pos] === '/') pos++
        if (pos >= chars.length) {
          if (kind === 'exact') kind = 'prefix'
          else {
            source += '.*'
            kind = 'regexp'
          }
        } else {
          source += '(.*/)?'
          kind = 'regexp'
        }
        if (i === 0) kind = 'suffix'
      } else {
        source += '[^/]*'
        kind = 'regexp'
      }
    } else if (ch === '?') {
      source += '[^/]'
      kind = 'regexp'
    } else if ('.+()$'.includes(ch)) {
      // Go's escape bitmap only covers bytes below 64, so `|`, `{` and `}` are NOT escaped (Docker's leak).
      source += `\\${ch}`
    } else if (ch === '\\') {
      if (pos < chars.length) {
        source += `\\${chars[pos++]}`
        kind = 'regexp'
      } else source += '\\'
    } else if (ch === '[' || ch === ']') {
      source += ch
      kind = 'regexp'
    } else source += ch
  }
  if (kind === 'regexp') source += '$'
  return {source, kind}
}

/** One raw pattern line as `ignorefile.ReadAll` returns it, with where it came from. */
export interface RawPattern {
  pattern: string
  origin?: PatternOrigin
}

/** The matcher state a directory passes to its children (patternmatcher's MatchInfo). */
export type MatchInfo = boolean[] | undefined

/** Which pattern decided, for `--why`: the index of the last pattern that matched and set the state. */
export interface Decision {
  excluded: boolean
  /** Index into `patterns` of the deciding pattern, or -1 when no pattern matched. */
  decidedBy: number
  info: boolean[]
}

export class PatternMatcher {
  readonly patterns: Pattern[] = []
  readonly exclusions: boolean

  /** patternmatcher.New: trim, clean, split off `!`, and Go's `filepath.Match` syntax check. */
  constructor(raw: RawPattern[]) {
    let exclusions = false
    for (const {pattern: input, origin} of raw) {
      let p = goTrimSpace(input)
      if (p === '') continue
      p = goClean(p)
      let exclusion = false
      if (p[0] === '!') {
        if (p.length === 1) throw new PatternSyntaxError('illegal exclusion pattern: "!"', origin)
        exclusion = true
        p = p.slice(1)
        exclusions = true
      }
      if (goMatchSyntaxError(p)) throw new PatternSyntaxError('syntax error in pattern', origin)
      this.patterns.push(new Pattern(p, exclusion, origin))
    }
    this.exclusions = exclusions
  }

  /**
   * patternmatcher's MatchesUsingParentResults, the per-path answer of the tar walk. A pattern that
   * matched the parent directory is inherited and applied whatever the current state; others are
   * tried only when they could change the state (plain while included, exceptions while excluded).
   */
  matchesUsingParentResults(file: string, parent: MatchInfo): Decision {
    const info: boolean[] = new Array(this.patterns.length).fill(false)
    let excluded = false
    let decidedBy = -1
    for (let i = 0; i < this.patterns.length; i++) {
      const pattern = this.patterns[i]
      let match = parent ? parent[i] : false
      if (!match) {
        if (pattern.exclusion !== excluded) continue
        match = pattern.match(file)
        if (!match && !parent) match = this.matchesAParent(pattern, file)
      }
      info[i] = match
      if (match) {
        excluded = !pattern.exclusion
        decidedBy = i
      }
    }
    return {excluded, decidedBy, info}
  }

  /** patternmatcher's MatchesOrParentMatches, used by the docker CLI's validation walk. */
  matchesOrParentMatches(file: string): boolean {
    let excluded = false
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== excluded) continue
      let match = pattern.match(file)
      if (!match) match = this.matchesAParent(pattern, file)
      if (match) excluded = !pattern.exclusion
    }
    return excluded
  }

  /**
   * The deprecated `Matches`, which the docker CLI still uses to decide whether the Dockerfile and
   * `.dockerignore` need protecting: it checks only the one ancestor with as many components as the
   * pattern (moby/moby#40090: `**\/ci` misses `a/build/ci/Dockerfile`).
   */
  matchesOneParent(file: string): boolean {
    let excluded = false
    const parentPath = goDir(file)
    const parentDirs = parentPath.split('/')
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== excluded) continue
      let match = pattern.match(file)
      if (!match && parentPath !== '.' && pattern.dirs.length <= parentDirs.length) {
        match = safeMatch(pattern, parentDirs.slice(0, pattern.dirs.length).join('/'))
      }
      if (match) excluded = !pattern.exclusion
    }
    return excluded
  }

  private matchesAParent(pattern: Pattern, file: string): boolean {
    // `file` is clean and relative, so its parents are the prefixes before each `/`.
    for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) {
      if (safeMatch(pattern, file.slice(0, i))) return true
    }
    return false
  }
}

/** Go ignores the error of the parent-directory checks (`match, _ = pattern.match(...)`). */
function safeMatch(pattern: Pattern, path: string): boolean {
  try {
    return pattern.match(path)
  } catch {
    return false
  }
}
