/**
 * Go's RE2 syntax → an equivalent JavaScript RegExp (`u` flag).
 *
 * patternmatcher builds a Go regexp from a `.dockerignore` line and passes `[`, `]`, `{`, `}`, `|`,
 * `^` and `\x` through unescaped, so `[[:digit:]]`, `\d`, `x{2}` and `a|b*` mean what RE2 says they
 * mean. JavaScript's syntax differs in the corners (POSIX classes don't exist, a lone `]` or `{` is an
 * error under `u`, `\s` is wider, `.` stops at `\r` too, `^*` is rejected), so this module parses the
 * RE2 syntax itself — the subset `regexp.Compile` accepts with Go's Perl flags — and emits JavaScript
 * that matches exactly the same strings. Anything RE2 rejects throws `Re2SyntaxError`, which dk
 * reports like Docker: "syntax error in pattern".
 */

export class Re2SyntaxError extends Error {}

const MAX_RUNE = 0x10ffff

type Range = [number, number]

const DIGIT: Range[] = [[0x30, 0x39]]
const SPACE: Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
]
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]

/** POSIX classes as RE2 defines them (ASCII only). */
const POSIX: Record<string, Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
}

function complement(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: Range[] = []
  let next = 0
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1])
    next = Math.max(next, hi + 1)
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE])
  return out
}

function hex(code: number): string {
  return `\\u{${code.toString(16)}}`
}

function classSource(ranges: Range[], extra: string[], negated: boolean): string {
  const body = ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('') + extra.join('')
  // An empty JS class would be a syntax error; an empty set matches nothing.
  if (body === '') return negated ? '[\\u{0}-\\u{10ffff}]' : '[^\\u{0}-\\u{10ffff}]'
  return `[${negated ? '^' : ''}${body}]`
}

/** `\pN`, `\p{Greek}`: RE2's Unicode tables are categories and scripts; JavaScript has both. */
function unicodeProperty(name: string, negated: boolean): string {
  const letter = negated ? 'P' : 'p'
  if (name === 'Any') return negated ? '[^\\u{0}-\\u{10ffff}]' : '[\\u{0}-\\u{10ffff}]'
  for (const candidate of [`gc=${name}`, `sc=${name}`]) {
    try {
      // eslint-disable-next-line no-new
      new RegExp(`\\p{${candidate}}`, 'u')
      return `\\${letter}{${candidate}}`
    } catch {
      // not this kind of name; try the next
    }
  }
  throw new Re2SyntaxError(`invalid character class range: \\p{${name}}`)
}

class Parser {
  private pos = 0
  private readonly chars: string[]

  constructor(source: string) {
    this.chars = Array.from(source)
  }

  parse(): string {
    const out = this.alternation()
    if (this.pos < this.chars.length) throw new Re2SyntaxError('unexpected )')
    return out
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset]
  }

  private alternation(): string {
    const branches = [this.sequence()]
    while (this.peek() === '|') {
      this.pos++
      branches.push(this.sequence())
    }
    return branches.join('|')
  }

  private sequence(): string {
    const items: string[] = []
    let lastWasRepeat = false
    while (this.pos < this.chars.length) {
      const c = this.chars[this.pos]
      if (c === '|' || c === ')') break
      if (c === '*' || c === '+' || c === '?') {
        this.pos++
        const lazy = this.peek() === '?' ? (this.pos++, '?') : ''
        this.repeat(items, lastWasRepeat, `${c}${lazy}`)
        lastWasRepeat = true
        continue
      }
      if (c === '{') {
        const repeat = this.parseRepeat()
        if (repeat) {
          const {min, max, end} = repeat
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) throw new Re2SyntaxError('invalid repeat count')
          this.pos = end
          const lazy = this.peek() === '?' ? (this.pos++, '?') : ''
          const quantifier = max === -1 ? `{${min},}` : max === min ? `{${min}}` : `{${min},${max}}`
          this.repeat(items, lastWasRepeat, quantifier + lazy)
          lastWasRepeat = true
          continue
        }
        // Not a valid `{n,m}`: RE2 takes the brace literally.
        this.pos++
        items.push(hex(0x7b))
        lastWasRepeat = false
        continue
      }
      lastWasRepeat = false
      switch (c) {
        case '(': {
          this.pos++
          if (this.peek() === '?') throw new Re2SyntaxError('flags and named groups are not supported here')
          const inner = this.alternation()
          if (this.peek() !== ')') throw new Re2SyntaxError('missing closing )')
          this.pos++
          items.push(`(?:${inner})`)
          break
        }
        case '^':
          this.pos++
          items.push('^')
          break
        case '$':
          this.pos++
          items.push('$')
          break
        case '.':
          // RE2 without the s flag: any character but newline (JavaScript's `.` also stops at \r, U+2028/9).
          this.pos++
          items.push('[^\\n]')
          break
        case '[':
          items.push(this.parseClass())
          break
        case '\\':
          this.parseTopEscape(items)
          break
        default:
          this.pos++
          items.push(hex(c.codePointAt(0) as number))
      }
    }
    return items.join('')
  }

  /** Apply a quantifier to the last item, with RE2's two refusals. */
  private repeat(items: string[], lastWasRepeat: boolean, quantifier: string): void {
    if (lastWasRepeat) throw new Re2SyntaxError('invalid nested repetition operator')
    if (items.length === 0) throw new Re2SyntaxError('missing argument to repetition operator')
    items[items.length - 1] = `(?:${items[items.length - 1]})${quantifier}`
  }

  private parseInt(at: number): {value: number; end: number} | undefined {
    const first = this.chars[at]
    if (first === undefined || first < '0' || first > '9') return undefined
    const second = this.chars[at + 1]
    if (first === '0' && second !== undefined && second >= '0' && second <= '9') return undefined
    let end = at
    let value = 0
    while (this.chars[end] !== undefined && this.chars[end] >= '0' && this.chars[end] <= '9') {
      if (value >= 1e8) value = -1
      else if (value >= 0) value = value * 10 + Number(this.chars[end])
      end++
    }
    return {value, end}
  }

  private parseRepeat(): {min: number; max: number; end: number} | undefined {
    let at = this.pos + 1
    const min = this.parseInt(at)
    if (!min) return undefined
    at = min.end
    let max: number
    let minValue = min.value
    if (this.chars[at] === undefined) return undefined
    if (this.chars[at] !== ',') max = min.value
    else {
      at++
      if (this.chars[at] === undefined) return undefined
      if (this.chars[at] === '}') max = -1
      else {
        const parsed = this.parseInt(at)
        if (!parsed) return undefined
        max = parsed.value
        at = parsed.end
        if (max < 0) minValue = -1
      }
    }
    if (this.chars[at] !== '}') return undefined
    return {min: minValue, max, end: at + 1}
  }

  private parseTopEscape(items: string[]): void {
    const next = this.peek(1)
    switch (next) {
      case 'A':
        this.pos += 2
        items.push('^')
        return
      case 'z':
        this.pos += 2
        items.push('$')
        return
      case 'b':
        this.pos += 2
        items.push('\\b')
        return
      case 'B':
        this.pos += 2
        items.push('\\B')
        return
      case 'C':
        throw new Re2SyntaxError('invalid escape sequence: \\C')
      case 'Q': {
        this.pos += 2
        while (this.pos < this.chars.length) {
          if (this.chars[this.pos] === '\\' && this.chars[this.pos + 1] === 'E') {
            this.pos += 2
            return
          }
          items.push(hex(this.chars[this.pos].codePointAt(0) as number))
          this.pos++
        }
        return
      }
    }
    const unicode = this.parseUnicodeClass()
    if (unicode) {
      items.push(unicode.negated ? `[^${unicode.token}]` : `[${unicode.token}]`)
      return
    }
    const perl = this.parsePerlClass()
    if (perl) {
      items.push(classSource(perl, [], false))
      return
    }
    items.push(hex(this.parseEscape()))
  }

  /** `\d \D \s \S \w \W` as RE2 defines them (ASCII). */
  private parsePerlClass(): Range[] | undefined {
    if (this.peek() !== '\\') return undefined
    const table: Record<string, Range[]> = {d: DIGIT, s: SPACE, w: WORD}
    const letter = this.peek(1)
    if (letter === undefined) return undefined
    const base = table[letter.toLowerCase()]
    if (!base || !'dswDSW'.includes(letter)) return undefined
    this.pos += 2
    return letter === letter.toUpperCase() ? complement(base) : base
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}`: returns a token usable inside a JS class. */
  private parseUnicodeClass(): {token: string; negated: boolean} | undefined {
    if (this.peek() !== '\\' || (this.peek(1) !== 'p' && this.peek(1) !== 'P')) return undefined
    let negated = this.peek(1) === 'P'
    const first = this.peek(2)
    if (first === undefined) throw new Re2SyntaxError('invalid character class range')
    let name: string
    if (first !== '{') {
      name = first
      this.pos += 3
    } else {
      const close = this.chars.indexOf('}', this.pos + 3)
      if (close < 0) throw new Re2SyntaxError('invalid character class range')
      name = this.chars.slice(this.pos + 3, close).join('')
      this.pos = close + 1
    }
    if (name.startsWith('^')) {
      negated = !negated
      name = name.slice(1)
    }
    const token = unicodeProperty(name, false)
    // Inside a class we need a positive token; negation is expressed by the caller.
    if (token.startsWith('[')) {
      // "Any": all runes, or none.
      return {token: negated ? '' : '\\u{0}-\\u{10ffff}', negated: false}
    }
    return negated ? {token: token.replace('\\p{', '\\P{'), negated: false} : {token, negated: false}
  }

  /** RE2's parseEscape: one escaped character (after `\`), or a syntax error. */
  private parseEscape(): number {
    this.pos++ // the backslash
    const c = this.chars[this.pos]
    if (c === undefined) throw new Re2SyntaxError('trailing backslash at end of expression')
    this.pos++
    const code = c.codePointAt(0) as number
    if (code < 0x80 && !/[0-9A-Za-z]/.test(c)) return code
    const isOctal = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '7'
    if ((c >= '1' && c <= '7' && isOctal(this.peek())) || c === '0') {
      let value = Number(c)
      for (let i = 1; i < 3 && isOctal(this.peek()); i++) value = value * 8 + Number(this.chars[this.pos++])
      return value
    }
    switch (c) {
      case 'x': {
        const isHex = (ch: string | undefined) => ch !== undefined && /^[0-9A-Fa-f]$/.test(ch)
        if (this.peek() === '{') {
          this.pos++
          let value = 0
          let digits = 0
          while (this.peek() !== '}') {
            const ch = this.peek()
            if (!isHex(ch)) throw new Re2SyntaxError('invalid escape sequence')
            value = value * 16 + Number.parseInt(ch as string, 16)
            if (value > MAX_RUNE) throw new Re2SyntaxError('invalid escape sequence')
            digits++
            this.pos++
          }
          this.pos++
          if (digits === 0) throw new Re2SyntaxError('invalid escape sequence')
          return value
        }
        const a = this.peek()
        const b = this.peek(1)
        if (!isHex(a) || !isHex(b)) throw new Re2SyntaxError('invalid escape sequence')
        this.pos += 2
        return Number.parseInt(`${a}${b}`, 16)
      }
      case 'a':
        return 7
      case 'f':
        return 12
      case 'n':
        return 10
      case 'r':
        return 13
      case 't':
        return 9
      case 'v':
        return 11
      default:
        throw new Re2SyntaxError(`invalid escape sequence: \\${c}`)
    }
  }

  /** RE2's parseClass (Perl flags: `-` allowed anywhere, `]` literal when first, POSIX names). */
  private parseClass(): string {
    this.pos++ // [
    let negated = false
    if (this.peek() === '^') {
      negated = true
      this.pos++
    }
    const ranges: Range[] = []
    const extra: string[] = []
    let first = true
    while (this.peek() !== ']' || first) {
      if (this.peek() === undefined) throw new Re2SyntaxError('missing closing ]')
      first = false
      if (this.peek() === '[' && this.peek(1) === ':') {
        const close = this.findPosixEnd()
        if (close >= 0) {
          let name = this.chars.slice(this.pos + 2, close).join('')
          let posixNegated = false
          if (name.startsWith('^')) {
            posixNegated = true
            name = name.slice(1)
          }
          const table = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined
          if (!table) throw new Re2SyntaxError('invalid character class range')
          ranges.push(...(posixNegated ? complement(table) : table))
          this.pos = close + 2
          continue
        }
      }
      const unicode = this.parseUnicodeClass()
      if (unicode) {
        if (unicode.token) extra.push(unicode.token)
        continue
      }
      const perl = this.parsePerlClass()
      if (perl) {
        ranges.push(...perl)
        continue
      }
      const lo = this.classChar()
      let hi = lo
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++
        hi = this.classChar()
        if (hi < lo) throw new Re2SyntaxError('invalid character class range')
      }
      ranges.push([lo, hi])
    }
    this.pos++ // ]
    return classSource(ranges, extra, negated)
  }

  /** Index of the `:` of the closing `:]` of a POSIX class name, or -1 (then `[` is literal). */
  private findPosixEnd(): number {
    for (let i = this.pos + 2; i < this.chars.length - 1; i++) {
      if (this.chars[i] === ':' && this.chars[i + 1] === ']') return i
    }
    return -1
  }

  private classChar(): number {
    const c = this.peek()
    if (c === undefined) throw new Re2SyntaxError('missing closing ]')
    if (c === '\\') return this.parseEscape()
    this.pos++
    return c.codePointAt(0) as number
  }
}

/** Compile RE2 source to a JavaScript RegExp with the same matches; throws Re2SyntaxError. */
export function compileRe2(source: string): RegExp {
  const js = new Parser(source).parse()
  try {
    return new RegExp(js, 'u')
  } catch (error) {
    throw new Re2SyntaxError(`cannot translate ${JSON.stringify(source)}: ${(error as Error).message}`)
  }
}
