/**
 * The few Go standard-library functions whose exact behaviour decides what the docker CLI does
 * with a `.dockerignore` line: `strings.TrimSpace`, `path/filepath.Clean` and the syntax check of
 * `path/filepath.Match`. They are ported line by line (Unix flavour) rather than approximated with
 * JavaScript's `trim()` or `path.posix.normalize()`, which differ in the corners (U+FEFF, `/..`, `a/..`).
 */

/** Go's `unicode.IsSpace`: JavaScript's `\s` without U+FEFF, plus U+0085 (NEL). */
function isGoSpace(code: number): boolean {
  switch (code) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true
    default:
      return code >= 0x2000 && code <= 0x200a
  }
}

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  let start = 0
  let end = s.length
  while (start < end && isGoSpace(s.charCodeAt(start))) start++
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--
  return s.slice(start, end)
}

/** Go's `path/filepath.Clean` on Unix: lexical, `..` at the root stays at the root. */
export function goClean(path: string): string {
  if (path === '') return '.'
  const rooted = path.startsWith('/')
  const out: string[] = []
  // How many leading `..` elements `out` holds that cannot be removed (relative paths only).
  let fixed = 0
  for (const element of path.split('/')) {
    if (element === '' || element === '.') continue
    if (element === '..') {
      if (out.length > fixed) out.pop()
      else if (!rooted) {
        out.push('..')
        fixed = out.length
      }
      continue
    }
    out.push(element)
  }
  const joined = out.join('/')
  if (rooted) return `/${joined}`
  return joined === '' ? '.' : joined
}

/** Go's `path.Dir` for a cleaned, relative, slash-separated path. */
export function goDir(path: string): string {
  const i = path.lastIndexOf('/')
  if (i < 0) return '.'
  return goClean(path.slice(0, i + 1))
}

class BadPattern extends Error {}

/**
 * Whether Go's `filepath.Match(pattern, name)` returns `ErrBadPattern`. patternmatcher calls it
 * with name "." for every pattern when it is loaded, which is why `a[` or a trailing `\` fail the
 * whole build even though they could never match. Ported byte by byte (Go 1.2x, Unix).
 */
export function goMatchSyntaxError(pattern: string, name = '.'): boolean {
  try {
    goMatch(Buffer.from(pattern, 'utf8'), Buffer.from(name, 'utf8'))
    return false
  } catch (error) {
    if (error instanceof BadPattern) return true
    throw error
  }
}

function goMatch(pattern: Buffer, name: Buffer): boolean {
  let p = pattern
  let n = name
  outer: while (p.length > 0) {
    const {star, chunk, rest} = scanChunk(p)
    p = rest
    if (star && chunk.length === 0) return !n.includes(0x2f)
    const first = matchChunk(chunk, n)
    if (first.ok && (first.rest.length === 0 || p.length > 0)) {
      n = first.rest
      continue
    }
    if (star) {
      for (let i = 0; i < n.length && n[i] !== 0x2f; i++) {
        const attempt = matchChunk(chunk, n.subarray(i + 1))
        if (attempt.ok) {
          if (p.length === 0 && attempt.rest.length > 0) continue
          n = attempt.rest
          continue outer
        }
      }
    }
    // Go checks that the rest of the pattern is well formed before answering "no match".
    while (p.length > 0) {
      const next = scanChunk(p)
      p = next.rest
      matchChunk(next.chunk, Buffer.alloc(0))
    }
    return false
  }
  return n.length === 0
}

function scanChunk(pattern: Buffer): {star: boolean; chunk: Buffer; rest: Buffer} {
  let p = pattern
  let star = false
  while (p.length > 0 && p[0] === 0x2a) {
    p = p.subarray(1)
    star = true
  }
  let inRange = false
  let i = 0
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case 0x5c: // backslash
        if (i + 1 < p.length) i++
        break
      case 0x5b: // [
        inRange = true
        break
      case 0x5d: // ]
        inRange = false
        break
      case 0x2a: // *
        if (!inRange) break scan
        break
    }
  }
  return {star, chunk: p.subarray(0, i), rest: p.subarray(i)}
}

function decodeRune(b: Buffer): {rune: number; size: number} {
  if (b.length === 0) return {rune: 0xfffd, size: 0}
  const c = b[0]
  if (c < 0x80) return {rune: c, size: 1}
  const size = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1
  if (size === 1 || b.length < size) return {rune: 0xfffd, size: 1}
  const text = b.subarray(0, size).toString('utf8')
  const rune = text.codePointAt(0) ?? 0xfffd
  if (rune === 0xfffd || Buffer.byteLength(text) !== size) return {rune: 0xfffd, size: 1}
  return {rune, size}
}

function matchChunk(chunkIn: Buffer, sIn: Buffer): {rest: Buffer; ok: boolean} {
  let chunk = chunkIn
  let s = sIn
  let failed = false
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true
    switch (chunk[0]) {
      case 0x5b: {
        let r = -1
        if (!failed) {
          const d = decodeRune(s)
          r = d.rune
          s = s.subarray(d.size)
        }
        chunk = chunk.subarray(1)
        let negated = false
        if (chunk.length > 0 && chunk[0] === 0x5e) {
          negated = true
          chunk = chunk.subarray(1)
        }
        let match = false
        let nrange = 0
        for (;;) {
          if (chunk.length > 0 && chunk[0] === 0x5d && nrange > 0) {
            chunk = chunk.subarray(1)
            break
          }
          const lo = getEsc(chunk)
          chunk = lo.rest
          let hi = lo.rune
          if (chunk[0] === 0x2d) {
            const h = getEsc(chunk.subarray(1))
            hi = h.rune
            chunk = h.rest
          }
          if (lo.rune <= r && r <= hi) match = true
          nrange++
        }
        if (match === negated) failed = true
        break
      }
      case 0x3f: // ?
        if (!failed) {
          if (s[0] === 0x2f) failed = true
          s = s.subarray(decodeRune(s).size)
        }
        chunk = chunk.subarray(1)
        break
      default:
        if (chunk[0] === 0x5c) {
          // An escaped character is compared literally; a trailing backslash is a syntax error.
          chunk = chunk.subarray(1)
          if (chunk.length === 0) throw new BadPattern()
        }
        if (!failed) {
          if (chunk[0] !== s[0]) failed = true
          s = s.subarray(1)
        }
        chunk = chunk.subarray(1)
    }
  }
  if (failed) return {rest: Buffer.alloc(0), ok: false}
  return {rest: s, ok: true}
}

function getEsc(chunkIn: Buffer): {rune: number; rest: Buffer} {
  let chunk = chunkIn
  if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d) throw new BadPattern()
  if (chunk[0] === 0x5c) {
    chunk = chunk.subarray(1)
    if (chunk.length === 0) throw new BadPattern()
  }
  const {rune, size} = decodeRune(chunk)
  if (rune === 0xfffd && size === 1) throw new BadPattern()
  const rest = chunk.subarray(size)
  if (rest.length === 0) throw new BadPattern()
  return {rune, rest}
}
