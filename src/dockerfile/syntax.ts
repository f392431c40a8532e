/**
 * dk's own Dockerfile syntax tree: the parser loop and the nodes (instructions, arguments, flags,
 * properties, variables, heredocs, parser directives) that the lint rules read.
 *
 * Why not dockerfile-ast any more: it re-tokenises an instruction on every call (and twice while
 * parsing), validates every LSP position it creates and converts offsets through a TextDocument;
 * that was most of the cost of linting a file. The positions its nodes report are, however, what
 * dk's findings have always pointed at, so the tokenisers here are ports of dockerfile-ast 0.7.1's
 * (Remy Suen, MIT licence): same loops, same quirks, same ranges. What changed is the plumbing:
 * every instruction is tokenised at most once and everything derived from it is computed on first
 * use and kept, offsets become positions through one line table, and only the parts dk uses exist
 * (no JSON-string nodes, no comment nodes, no variable resolution).
 *
 * Docker's own parser (moby/buildkit frontend/dockerfile/parser) is the authority on what a line
 * means; parse.ts reports what it would refuse. The nodes are read-only: callers must not mutate
 * the arrays and ranges they get.
 */
import type {Memoized} from './memo.js'
import type {Position, Range} from './rule.js'

/** The file's text with the offsets of its lines (split on \r\n, \r and \n, as LSP does). */
export class SourceText {
  readonly lineStarts: number[]
  /** Whether any line ends in \r (\r\n or a lone \r); without, \n alone ends lines. */
  readonly hasCR: boolean

  constructor(readonly text: string) {
    const starts = [0]
    this.hasCR = text.includes('\r')
    if (!this.hasCR) {
      // indexOf finds the line breaks much faster than a loop over every character.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++
          starts.push(i + 1)
        } else if (c === 10) starts.push(i + 1)
      }
    }
    this.lineStarts = starts
  }

  /** The position of an offset; an offset between \r and \n belongs before the \r (LSP's rule). */
  positionAt(offset: number): Position {
    const text = this.text
    if (offset > text.length) offset = text.length
    else if (offset < 0) offset = 0
    const starts = this.lineStarts
    let low = 0
    let high = starts.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (starts[mid] > offset) high = mid
      else low = mid + 1
    }
    const line = low - 1
    const lineStart = starts[line]
    while (offset > lineStart && isEol(text.charCodeAt(offset - 1))) offset--
    return {line, character: offset - lineStart}
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts
    if (position.line >= starts.length) return this.text.length
    if (position.line < 0) return 0
    const lineStart = starts[position.line]
    if (position.character <= 0) return lineStart
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length
    let offset = Math.min(lineStart + position.character, next)
    while (offset > lineStart && isEol(this.text.charCodeAt(offset - 1))) offset--
    return offset
  }

  /**
   * offsetAt(positionAt(offset)): the offset a range built from `offset` starts or ends at. Only an
   * offset between the \r and \n of a CRLF moves (back before the \r).
   */
  normalize(offset: number): number {
    const text = this.text
    if (offset > text.length) return text.length
    if (offset < 0) return 0
    return offset > 0 && text.charCodeAt(offset) === 10 && text.charCodeAt(offset - 1) === 13 ? offset - 1 : offset
  }

  /** The lines without their line breaks: text.split(/\r\n|\r|\n/) from the table already built. */
  lines(): string[] {
    const starts = this.lineStarts
    const text = this.text
    const lines: string[] = new Array(starts.length)
    for (let k = 0; k < starts.length; k++) {
      let end = k + 1 < starts.length ? starts[k + 1] - 1 : text.length
      if (k + 1 < starts.length && text.charCodeAt(end) === 10 && end > starts[k] && text.charCodeAt(end - 1) === 13) end--
      lines[k] = text.slice(starts[k], end)
    }
    return lines
  }

  range(start: number, end: number): Range {
    return {start: this.positionAt(start), end: this.positionAt(end)}
  }

  /** The text a range covers. */
  content(range: Range): string {
    return this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end))
  }
}

const TAB = 9
const LF = 10
const CR = 13
const SPACE = 32
const HASH = 35

function isBlankCode(code: number): boolean {
  return code === SPACE || code === TAB || code === CR || code === LF
}

function isEol(code: number): boolean {
  return code === 13 || code === 10
}

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\r' || char === '\n'
}

function isNewline(char: string): boolean {
  return char === '\r' || char === '\n'
}

/** A word of an instruction's arguments: its value (escapes and continuations removed) and range. */
export class Argument {
  private range?: Range

  /** The range, or the source and offsets it is computed from when asked (most words never are). */
  constructor(value: string, range: Range)
  constructor(value: string, source: SourceText, start: number, end: number)
  constructor(
    private readonly value: string,
    where: Range | SourceText,
    private readonly start = 0,
    private readonly end = 0,
  ) {
    if (where instanceof SourceText) this.source = where
    else this.range = where
  }

  private readonly source?: SourceText

  getValue(): string {
    return this.value
  }

  getRange(): Range {
    return (this.range ??= this.source!.range(this.start, this.end))
  }

  /** getRange().start, without making the whole range when it is not made yet. */
  getStart(): Position {
    return this.range !== undefined ? this.range.start : this.source!.positionAt(this.start)
  }

  /** getRange().end, likewise. */
  getEnd(): Position {
    return this.range !== undefined ? this.range.end : this.source!.positionAt(this.end)
  }
}

/** `--name=value` before the arguments of FROM, RUN, COPY, ADD and HEALTHCHECK. */
export class Flag {
  constructor(
    private readonly range: Range,
    private readonly name: string,
    private readonly nameRange: Range,
    private readonly value: string | null,
    private readonly valueRange: Range | null,
  ) {}

  getRange(): Range {
    return this.range
  }

  getName(): string {
    return this.name
  }

  getNameRange(): Range {
    return this.nameRange
  }

  getValue(): string | null {
    return this.value
  }

  getValueRange(): Range | null {
    return this.valueRange
  }
}

/** `$NAME` or `${NAME[:-default]}` in an instruction's arguments. */
export class Variable {
  constructor(
    private readonly name: string,
    private readonly nameRange: Range,
    private readonly range: Range,
    private readonly modifier: string | null,
  ) {}

  getName(): string {
    return this.name
  }

  getNameRange(): Range {
    return this.nameRange
  }

  getRange(): Range {
    return this.range
  }

  /** `-`, `:-`'s `-`… the character after the name; '' for `${X:}`; null without one. */
  getModifier(): string | null {
    return this.modifier
  }
}

/** A here-document of RUN/COPY/ADD (`<<EOF` … `EOF`). */
export class Heredoc {
  constructor(
    private readonly startRange: Range,
    private readonly name: string,
    private readonly nameRange: Range,
    private readonly contentRange: Range | null,
    private readonly delimiterRange: Range | null,
  ) {}

  getStartRange(): Range {
    return this.startRange
  }

  getName(): string {
    return this.name
  }

  getNameRange(): Range {
    return this.nameRange
  }

  /** The body, null when empty or never terminated on a line of its own. */
  getContentRange(): Range | null {
    return this.contentRange
  }

  /** The terminating line, null when the heredoc is never terminated. */
  getDelimiterRange(): Range | null {
    return this.delimiterRange
  }
}

/** A parser directive at the top of the file (`# syntax=…`, `# escape=…`, `# check=…`). */
export class Directive {
  constructor(
    private readonly source: SourceText,
    private readonly range: Range,
    private readonly nameRange: Range,
    private readonly valueRange: Range,
  ) {}

  getRange(): Range {
    return this.range
  }

  getNameRange(): Range {
    return this.nameRange
  }

  getValueRange(): Range {
    return this.valueRange
  }

  getName(): string {
    return this.source.content(this.nameRange)
  }

  getValue(): string {
    return this.source.content(this.valueRange)
  }
}

/** `name=value` (or legacy `name value`) of ENV, LABEL and ARG. */
export class Property {
  private readonly name: string
  private readonly nameRange: Range
  private readonly valueRange: Range | null = null
  private readonly value: string | null = null
  private readonly assignmentOperator: string | null = null
  private readonly range: Range

  constructor(
    private readonly source: SourceText,
    private readonly escapeChar: string,
    arg: Argument,
    arg2?: Argument,
  ) {
    this.nameRange = Property.nameRangeOf(source, arg)
    this.name = Property.unescape(source.content(this.nameRange), escapeChar)
    if (arg2) {
      this.valueRange = arg2.getRange()
      this.value = Property.unescape(source.content(this.valueRange), escapeChar)
      this.range = {start: this.nameRange.start, end: this.valueRange.end}
    } else {
      const argRange = arg.getRange()
      if (!sameRange(this.nameRange, argRange)) {
        this.valueRange = {start: source.positionAt(source.offsetAt(argRange.start) + arg.getValue().indexOf('=') + 1), end: source.positionAt(source.offsetAt(argRange.end))}
        this.value = Property.unescape(source.content(this.valueRange), escapeChar)
        this.assignmentOperator = '='
      }
      this.range = argRange
    }
  }

  getRange(): Range {
    return this.range
  }

  getName(): string {
    return this.name
  }

  getNameRange(): Range {
    return this.nameRange
  }

  /** The value with quotes and escapes resolved; null when there is none. */
  getValue(): string | null {
    return this.value
  }

  getValueRange(): Range | null {
    return this.valueRange
  }

  /** `=`, or null for the legacy `name value` form and for a name without value. */
  getAssignmentOperator(): string | null {
    return this.assignmentOperator
  }

  /** The value as written (quotes and escapes kept), minus escaped newlines and comment lines. */
  getUnescapedValue(): string | null {
    if (this.valueRange === null) return null
    const escapeChar = this.escapeChar
    let escaped = false
    let rawValue = ''
    const value = this.source.content(this.valueRange)
    rawLoop: for (let i = 0; i < value.length; i++) {
      const char = value.charAt(i)
      switch (char) {
        case escapeChar:
          for (let j = i + 1; j < value.length; j++) {
            switch (value.charAt(j)) {
              case '\r':
              case '\n':
                if (value.charAt(j) === '\r') j++
                escaped = true
                i = j
                continue rawLoop
              case ' ':
              case '\t':
                break
              default:
                rawValue += char
                continue rawLoop
            }
          }
          rawValue += char
          break
        case '\r':
        case '\n':
          break
        case ' ':
        case '\t':
          if (!escaped) rawValue += char
          break
        case '#':
          if (escaped) {
            for (let j = i + 1; j < value.length; j++) {
              switch (value.charAt(j)) {
                case '\r':
                case '\n':
                  if (value.charAt(j) === '\r') j++
                  i = j
                  continue rawLoop
              }
            }
          } else rawValue += char
          break
        default:
          rawValue += char
          escaped = false
          break
      }
    }
    return rawValue
  }

  private static nameRangeOf(source: SourceText, arg: Argument): Range {
    const value = arg.getValue()
    const index = value.indexOf('=')
    if (index !== -1) {
      const initial = value.charAt(0)
      const before = value.charAt(index - 1)
      // "var"=value and 'var'=value, or a plain var=value
      if ((initial === '"' && before === '"') || (initial === "'" && before === "'") || (initial !== '"' && initial !== "'"))
        return {start: arg.getRange().start, end: source.positionAt(source.offsetAt(arg.getRange().start) + index)}
    }
    return arg.getRange()
  }

  /** The value Docker sees: quotes removed, escapes resolved, continuation comments dropped. */
  static unescape(value: string, escapeChar: string): string {
    let escaped = false
    const skip = findLeadingNonWhitespace(value, escapeChar)
    if (skip !== 0 && value.charAt(skip) === '#') escaped = true
    value = value.substring(skip)
    const first = value.charAt(0)
    const last = value.charAt(value.length - 1)
    const literal = first === "'" || first === '"'
    const inSingle = first === "'" && last === "'"
    let inDouble = false
    if (first === '"') {
      for (let i = 1; i < value.length; i++) {
        if (value.charAt(i) === escapeChar) i++
        else if (value.charAt(i) === '"' && i === value.length - 1) inDouble = true
      }
    }
    if (inSingle || inDouble) value = value.substring(1, value.length - 1)
    let commentCheck = -1
    let escapedValue = ''
    parseValue: for (let i = 0; i < value.length; i++) {
      let char = value.charAt(i)
      switch (char) {
        case escapeChar:
          if (i + 1 === value.length) {
            escapedValue += escapeChar
            break parseValue
          }
          char = value.charAt(i + 1)
          if (char === ' ' || char === '\t') {
            whitespaceCheck: for (let j = i + 2; j < value.length; j++) {
              const char2 = value.charAt(j)
              switch (char2) {
                case ' ':
                case '\t':
                  break
                case '\r':
                case '\n':
                  if (char2 === '\r') j++
                  escaped = true
                  i = j
                  continue parseValue
                default:
                  if (!inDouble && !inSingle && !literal) {
                    if (char2 === escapeChar) {
                      escapedValue += char
                      i = i + 1
                    } else {
                      escapedValue = escapedValue + char + char2
                      i = j
                    }
                    continue parseValue
                  }
                  break whitespaceCheck
              }
            }
          }
          if (inDouble) {
            if (char === '\r') {
              escaped = true
              i = i + 2
            } else if (char === '\n') {
              escaped = true
              i++
            } else if (char !== '"') {
              if (char === escapeChar) i++
              escapedValue += escapeChar
            }
            continue parseValue
          } else if (inSingle || literal) {
            if (char === '\r') {
              escaped = true
              i = i + 2
            } else if (char === '\n') {
              escaped = true
              i++
            } else escapedValue += escapeChar
            continue parseValue
          } else if (char === escapeChar) {
            escapedValue += escapeChar
            i++
          } else if (char === '\r') {
            escaped = true
            i = i + 2
          } else if (char === '\n') {
            escaped = true
            i++
          } else {
            escapedValue += char
            i++
          }
          break
        case ' ':
        case '\t':
          if (escaped && commentCheck === -1) commentCheck = i
          escapedValue += char
          break
        case '\r':
        case '\n':
          if (char === '\r') i++
          if (escaped && commentCheck !== -1) {
            escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck - 1))
            commentCheck = -1
          }
          break
        default:
          if (char === '#' && escaped) {
            // a comment line inside a continuation
            if (commentCheck !== -1) {
              escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck))
              commentCheck = -1
            }
            newlineCheck: for (let j = i + 1; j < value.length; j++) {
              switch (value.charAt(j)) {
                case '\r':
                case '\n':
                  if (value.charAt(j) === '\r') j++
                  i = j
                  break newlineCheck
              }
            }
            continue parseValue
          }
          if (escaped) {
            escaped = false
            commentCheck = -1
          }
          escapedValue += char
          break
      }
    }
    return escapedValue
  }
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character
}

function findLeadingNonWhitespace(content: string, escapeChar: string): number {
  whitespaceCheck: for (let i = 0; i < content.length; i++) {
    switch (content.charAt(i)) {
      case ' ':
      case '\t':
        continue
      case escapeChar:
        escapeCheck: for (let j = i + 1; j < content.length; j++) {
          switch (content.charAt(j)) {
            case ' ':
            case '\t':
              continue
            case '\r':
              i = j + 1
              continue whitespaceCheck
            case '\n':
              i = j
              continue whitespaceCheck
            default:
              break escapeCheck
          }
        }
        return -1
      default:
        return i
    }
  }
  return -1
}

/** The name of `<<EOF`, `<<-"EOF"`, `<<'EOF'`; null when it is not a heredoc (`<<<`, unbalanced quotes). */
export function parseHeredocName(value: string): string | null {
  value = value.substring(2)
  if (value.charAt(0) === '-') value = value.substring(1)
  if (value.charAt(0) === '"') {
    if (value.charAt(value.length - 1) !== '"') return null
    value = value.substring(1, value.length - 1)
  }
  if (value.charAt(0) === "'") {
    if (value.charAt(value.length - 1) !== "'") return null
    value = value.substring(1, value.length - 1)
  }
  if (value.charAt(0) === '<') return null
  return value
}

const PROPERTY_KEYWORDS = new Set(['ARG', 'ENV', 'LABEL'])
/**
 * The keywords as interned literals: rules compare getKeyword() with literals thousands of times a
 * file, and an upper-cased copy made per instruction compares character by character. Listed by
 * their first letter's code: a word is compared with the two or three keywords of its initial,
 * which costs less than hashing every new word for a Map lookup.
 */
const KEYWORDS_BY_INITIAL: string[][] = []
for (const keyword of ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'])
  (KEYWORDS_BY_INITIAL[keyword.charCodeAt(0)] ??= []).push(keyword)

/** The interned keyword equal to `word`, or undefined. */
function knownKeyword(word: string): string | undefined {
  const candidates = KEYWORDS_BY_INITIAL[word.charCodeAt(0)]
  if (candidates !== undefined) for (const keyword of candidates) if (keyword === word) return keyword
  return undefined
}
/** Instructions whose leading `--flags` are flags (the others take `--x` as an argument). */
const FLAG_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK'])

/**
 * One instruction, from its keyword to the end of its last continuation line (heredoc bodies
 * included). Everything is computed on first use and kept.
 */
export class Instruction implements Memoized {
  /** What other modules derive from this instruction (memo.ts). */
  memo?: unknown[]
  private readonly keyword: string
  private rangeValue?: Range
  private instructionRangeValue?: Range
  private textContent?: string
  private rawArguments?: Argument[]
  private arguments?: Argument[]
  private flags?: Flag[]
  private heredocs?: Heredoc[]
  private variables?: Variable[]
  private properties?: Property[]
  private property?: Property | null
  private trigger?: Instruction | null
  private argumentsRange?: Range | null
  private rawArgumentsContent?: string | null

  constructor(
    private readonly source: SourceText,
    private readonly escapeChar: string,
    private readonly instruction: string,
    /** Offsets: the keyword's start, its end, and the instruction's end. */
    readonly start: number,
    readonly instructionEnd: number,
    readonly end: number,
  ) {
    // Keywords are nearly always written in upper case already: no upper-cased copy for those.
    const known = knownKeyword(instruction)
    if (known !== undefined) this.keyword = known
    else {
      const upper = instruction.toUpperCase()
      this.keyword = knownKeyword(upper) ?? upper
    }
  }

  /** The keyword as written (`run`, `RUN`, or an unknown word). */
  getInstruction(): string {
    return this.instruction
  }

  /** The keyword in upper case. */
  getKeyword(): string {
    return this.keyword
  }

  getRange(): Range {
    return (this.rangeValue ??= this.source.range(this.start, this.end))
  }

  getInstructionRange(): Range {
    return (this.instructionRangeValue ??= this.source.range(this.start, this.instructionEnd))
  }

  getTextContent(): string {
    return (this.textContent ??= this.source.text.substring(this.source.normalize(this.start), this.source.normalize(this.end)))
  }

  /** Every word after the keyword, flags included. */
  getRawArguments(): Argument[] {
    return (this.rawArguments ??= this.tokenize())
  }

  /** The words after the keyword and its flags. */
  getArguments(): Argument[] {
    if (this.arguments) return this.arguments
    const raw = this.getRawArguments()
    const flags = this.getFlags()
    this.arguments = flags.length === 0 ? raw : raw.slice(flags.length)
    return this.arguments
  }

  getArgumentsRange(): Range | null {
    if (this.argumentsRange !== undefined) return this.argumentsRange
    const args = this.getArguments()
    // From the first word's start and the last word's end: their own ranges are seldom asked for.
    this.argumentsRange = args.length === 0 ? null : {start: args[0].getStart(), end: args[args.length - 1].getEnd()}
    return this.argumentsRange
  }

  /** The source text from the first argument to the end of the last one (after flags). */
  getRawArgumentsContent(): string | null {
    if (this.rawArgumentsContent !== undefined) return this.rawArgumentsContent
    const range = this.getArgumentsRange()
    this.rawArgumentsContent = range === null ? null : this.source.content(range)
    return this.rawArgumentsContent
  }

  /** The argument text with escaped newlines and continuation comment lines left out. */
  getArgumentsContent(): string | null {
    if (this.getArguments().length === 0) return null
    let content = ''
    for (const range of this.argumentsRanges()) content += this.source.content(range)
    return content
  }

  /** The pieces of the argument text on each line, without escape characters and comment lines. */
  private argumentsRanges(): Range[] {
    const args = this.getArguments()
    const source = this.source
    const escapeChar = this.escapeChar
    if (args[0].getRange().start.line === args[args.length - 1].getRange().end.line) return [{start: args[0].getRange().start, end: args[args.length - 1].getRange().end}]
    const ranges: Range[] = []
    let end = -1
    let startPosition: Position | null = args[0].getRange().start
    const range = this.getInstructionRange()
    const rangeStart = source.offsetAt(range.start)
    const extra = source.offsetAt(startPosition) - rangeStart
    const fullArgs = this.getTextContent().substring(extra, source.offsetAt(args[args.length - 1].getRange().end) - rangeStart)
    const offset = rangeStart + extra
    let comment = false
    const close = () => {
      if (startPosition !== null) ranges.push({start: startPosition, end: source.positionAt(offset + end + 1)})
    }
    for (let i = 0; i < fullArgs.length; i++) {
      const char = fullArgs.charAt(i)
      if (char === escapeChar) {
        const next = fullArgs.charAt(i + 1)
        if (next === ' ' || next === '\t') {
          whitespaceCheck: for (let j = i + 2; j < fullArgs.length; j++) {
            switch (fullArgs.charAt(j)) {
              case ' ':
              case '\t':
                continue
              case '\r':
              case '\n':
                if (fullArgs.charAt(j) === '\r') j++
                close()
                startPosition = null
                comment = false
                i = j
                break whitespaceCheck
              default:
                break whitespaceCheck
            }
          }
        } else if (next === '\r') {
          close()
          startPosition = null
          comment = false
          i += 2
        } else if (next === '\n') {
          close()
          startPosition = null
          comment = false
          i++
        } else i++
      } else if (isNewline(char)) {
        if (comment) {
          startPosition = null
          comment = false
        }
      } else if (!comment) {
        if (startPosition === null) {
          if (char === '#') {
            comment = true
            continue
          }
          const position = source.positionAt(offset + i)
          if (position.character !== 0) startPosition = {line: position.line, character: 0}
        }
        end = i
      }
    }
    if (startPosition === null) ranges.push(source.range(offset + end, offset + end + 1))
    else ranges.push({start: startPosition, end: source.positionAt(offset + end + 1)})
    return ranges
  }

  /** Leading `--name[=value]` words of FROM, RUN, COPY, ADD and HEALTHCHECK. */
  getFlags(): Flag[] {
    return (this.flags ??= FLAG_KEYWORDS.has(this.keyword) ? this.parseFlags() : [])
  }

  /** COPY's `--from` flag when it is the only flag (dockerfile-ast's rule). */
  getFromFlag(): Flag | null {
    const flags = this.getFlags()
    return flags.length === 1 && flags[0].getName() === 'from' ? flags[0] : null
  }

  getHeredocs(): Heredoc[] {
    return (this.heredocs ??= this.keyword === 'RUN' || this.keyword === 'COPY' || this.keyword === 'ADD' ? this.parseHeredocs() : [])
  }

  getVariables(): Variable[] {
    if (this.variables) return this.variables
    const variables: Variable[] = []
    for (const arg of this.getRawArguments()) {
      const start = this.source.offsetAt(arg.getRange().start)
      const raw = this.source.content(arg.getRange())
      this.parseVariables(start, raw, variables)
    }
    if (this.keyword === 'LABEL') {
      // A variable inside a single-quoted LABEL value is literal text.
      for (const property of this.getProperties()) {
        const value = property.getUnescapedValue()
        const range = property.getValueRange()
        if (value !== null && range && value.length > 2 && value.startsWith("'") && value.endsWith("'")) {
          for (let i = 0; i < variables.length; i++) if (isInsideRange(variables[i].getRange().start, range)) variables.splice(i--, 1)
        }
      }
    }
    return (this.variables = variables)
  }

  /** ENV/LABEL/ARG `name=value` pairs (also the legacy `name value`). */
  getProperties(): Property[] {
    if (this.properties) return this.properties
    if (!PROPERTY_KEYWORDS.has(this.keyword)) return (this.properties = [])
    const args = this.propertyArguments()
    const make = (a: Argument, b?: Argument) => new Property(this.source, this.escapeChar, a, b)
    if (args.length === 0) this.properties = []
    else if (args.length === 1) this.properties = [make(args[0])]
    else if (args.length === 2) this.properties = args[0].getValue().includes('=') ? [make(args[0]), make(args[1])] : [make(args[0], args[1])]
    else if (!args[0].getValue().includes('=')) {
      const range = {start: args[1].getRange().start, end: args[args.length - 1].getRange().end}
      const text = this.source.text.substring(this.source.offsetAt(range.start), this.source.offsetAt(range.end))
      this.properties = [make(args[0], new Argument(text, range))]
    } else this.properties = args.map((a) => make(a))
    return this.properties
  }

  /** ARG's single `name[=default]`; null when the ARG is malformed. */
  getProperty(): Property | null {
    if (this.property !== undefined) return this.property
    const args = this.keyword === 'ARG' ? this.propertyArguments() : []
    return (this.property = args.length === 1 ? new Property(this.source, this.escapeChar, args[0]) : null)
  }

  /** FROM: the image as written. */
  getImage(): string | null {
    const args = this.getArguments()
    return args.length > 0 ? args[0].getValue() : null
  }

  getImageRange(): Range | null {
    const args = this.getArguments()
    return args.length !== 0 ? args[0].getRange() : null
  }

  /** FROM: the tag of the image (`ubuntu:wily` → `wily`), not a registry port. */
  getImageTagRange(): Range | null {
    const range = this.getImageRange()
    if (!range) return null
    const source = this.source
    const rangeStartOffset = source.offsetAt(range.start)
    const content = source.content(range)
    const atIndex = this.indexOfOutsideVariables(rangeStartOffset, content, '@')
    const slashIndex = content.indexOf('/')
    if (atIndex === -1) {
      const colonIndex = this.lastIndexOfOutsideVariables(rangeStartOffset, content, ':')
      if (colonIndex > slashIndex) return {start: source.positionAt(rangeStartOffset + colonIndex + 1), end: range.end}
    }
    const subcontent = content.substring(0, atIndex)
    const subcolonIndex = subcontent.indexOf(':')
    if (subcolonIndex === -1) return null
    if (slashIndex === -1) return source.range(rangeStartOffset + subcolonIndex + 1, rangeStartOffset + atIndex)
    if (subcolonIndex < slashIndex) return null
    return source.range(rangeStartOffset + subcolonIndex + 1, rangeStartOffset + subcontent.length)
  }

  /** FROM: the stage name after AS, as written. */
  getBuildStage(): string | null {
    const range = this.getBuildStageRange()
    return range === null ? null : this.source.content(range)
  }

  getBuildStageRange(): Range | null {
    if (this.keyword !== 'FROM') return null
    const args = this.getArguments()
    return args.length > 2 && args[1].getValue().toUpperCase() === 'AS' ? args[2].getRange() : null
  }

  /** HEALTHCHECK: the CMD or NONE word. */
  getSubcommand(): Argument | null {
    const args = this.getArguments()
    return args.length !== 0 ? args[0] : null
  }

  /** ONBUILD: the range of the trigger's keyword. */
  getTriggerRange(): Range | null {
    const args = this.getArguments()
    return args.length > 0 ? args[0].getRange() : null
  }

  /** ONBUILD: the instruction it stores, parsed like any other (one object per ONBUILD). */
  getTriggerInstruction(): Instruction | null {
    if (this.trigger !== undefined) return this.trigger
    if (this.keyword !== 'ONBUILD') return (this.trigger = null)
    const range = this.getTriggerRange()
    if (range === null) return (this.trigger = null)
    const source = this.source
    const start = source.offsetAt(range.start)
    this.trigger = new Instruction(source, this.escapeChar, source.content(range), start, source.offsetAt(range.end), source.offsetAt(this.getRange().end))
    return this.trigger
  }

  /** dockerfile-ast's argument tokeniser: words split on blanks, escaped newlines and continuation comments skipped. */
  private tokenize(): Argument[] {
    const source = this.source
    const text = source.text
    const offset = source.normalize(this.instructionEnd)
    const limit = source.normalize(this.end)
    const escapeCode = this.escapeChar.charCodeAt(0)
    // Without an escape character nothing continues or is escaped (and so no comment line can
    // start): the words are the runs of non-blank characters, exactly as written. Most
    // instructions are like that; they are split straight from the file's text, with no copy of
    // the instruction (tokenizeEscaped() works on one).
    const args: Argument[] = []
    let i = offset
    while (i < limit) {
      let c = text.charCodeAt(i)
      while (isBlankCode(c) && ++i < limit) c = text.charCodeAt(i)
      const from = i
      while (i < limit && !isBlankCode((c = text.charCodeAt(i))) && c !== escapeCode) i++
      if (i < limit && c === escapeCode) return this.tokenizeEscaped()
      if (i > from) args.push(new Argument(text.slice(from, i), source, from, i))
    }
    return args
  }

  /** The general case of tokenize(): the arguments hold the escape character somewhere. */
  private tokenizeEscaped(): Argument[] {
    const args: Argument[] = []
    const source = this.source
    const escapeChar = this.escapeChar
    const rangeStart = source.normalize(this.start)
    const extra = source.normalize(this.instructionEnd) - rangeStart
    const content = this.getTextContent()
    const fullArgs = content.substring(extra)
    const offset = rangeStart + extra
    let start = false
    let comment = false
    let found = -1
    let escapedWhitespaceDetected = false
    let escaping = false
    let escapeMarker = -1
    // The word's value is built from slices of plain characters (most words have no escape at all).
    let escapedArg = ''
    let plainStart = 0
    let plainEnd = 0
    const plain = (i: number) => {
      if (plainEnd === i) plainEnd = i + 1
      else {
        if (plainEnd > plainStart) escapedArg += fullArgs.slice(plainStart, plainEnd)
        plainStart = i
        plainEnd = i + 1
      }
    }
    const literal = (text: string) => {
      if (plainEnd > plainStart) escapedArg += fullArgs.slice(plainStart, plainEnd)
      plainStart = plainEnd = 0
      escapedArg += text
    }
    const push = (from: number, to: number) => {
      if (plainEnd > plainStart) escapedArg += fullArgs.slice(plainStart, plainEnd)
      args.push(new Argument(escapedArg, source, offset + from, offset + to))
      escapedArg = ''
      plainStart = plainEnd = 0
    }
    for (let i = 0; i < fullArgs.length; i++) {
      const char = fullArgs.charAt(i)
      if (isWhitespace(char)) {
        if (escaping) {
          escapedWhitespaceDetected = true
          if (isNewline(char)) {
            escapedWhitespaceDetected = false
            if (comment) {
              comment = false
              start = true
            }
          }
          continue
        } else if (found !== -1) {
          push(found, escapeMarker === -1 ? i : escapeMarker)
          escapeMarker = -1
          found = -1
        }
      } else if (char === escapeChar) {
        const next = fullArgs.charAt(i + 1)
        if (next === ' ' || next === '\t') {
          whitespaceCheck: for (let j = i + 2; j < fullArgs.length; j++) {
            switch (fullArgs.charAt(j)) {
              case ' ':
              case '\t':
                continue
              case '\r':
              case '\n':
                if (fullArgs.charAt(j) === '\r') j++
                comment = false
                escaping = true
                start = true
                if (found !== -1) escapeMarker = i
                i = j
                break whitespaceCheck
              default:
                escapeMarker = i
                if (found === -1) i = j - 1
                break whitespaceCheck
            }
          }
        } else if (next === '\r') {
          comment = false
          escaping = true
          start = true
          if (found !== -1 && escapeMarker === -1) escapeMarker = i
          i += 2
        } else if (next === '\n') {
          comment = false
          escaping = true
          start = true
          if (found !== -1 && escapeMarker === -1) escapeMarker = i
          i++
        } else {
          if (escapedWhitespaceDetected && escapeMarker !== -1) {
            push(found, escapeMarker)
            found = -1
          }
          escapeMarker = -1
          escapedWhitespaceDetected = false
          escaping = false
          if (next === '$') literal(char + next)
          else if (next === '') break
          else literal(next)
          if (found === -1) found = i
          i++
        }
      } else if (!comment) {
        if (start && char === '#') comment = true
        else {
          if (escapedWhitespaceDetected && escapeMarker !== -1) {
            push(found, escapeMarker)
            found = -1
          }
          escapedWhitespaceDetected = false
          escaping = false
          escapeMarker = -1
          plain(i)
          if (found === -1) found = i
        }
        start = false
      }
    }
    if (found !== -1) push(found, escapeMarker === -1 ? fullArgs.length : escapeMarker)
    return args
  }

  private stopSearchingForFlags(value: string): boolean {
    if (this.keyword === 'HEALTHCHECK') {
      const upper = value.toUpperCase()
      return upper === 'CMD' || upper === 'NONE'
    }
    return !value.includes('--')
  }

  private parseFlags(): Flag[] {
    const flags: Flag[] = []
    const source = this.source
    for (const arg of this.getRawArguments()) {
      const value = arg.getValue()
      if (this.stopSearchingForFlags(value)) return flags
      if (!value.startsWith('--')) continue
      const range = arg.getRange()
      const rangeStart = source.offsetAt(range.start)
      const rawValue = source.content(range)
      const nameIndex = value.indexOf('=')
      const index = rawValue.indexOf('=')
      let firstMatch = false
      let secondMatch = false
      let startIndex = -1
      nameSearch: for (let i = 0; i < rawValue.length; i++) {
        switch (rawValue.charAt(i)) {
          case '\\':
          case ' ':
          case '\t':
          case '\r':
          case '\n':
            break
          case '-':
            if (secondMatch) {
              startIndex = i
              break nameSearch
            } else if (firstMatch) secondMatch = true
            else firstMatch = true
            break
          default:
            startIndex = i
            break nameSearch
        }
      }
      const nameStart = source.positionAt(rangeStart + startIndex)
      if (index === -1) flags.push(new Flag(range, value.substring(2), {start: nameStart, end: range.end}, null, null))
      else if (index === value.length - 1)
        flags.push(new Flag(range, value.substring(2, index), {start: nameStart, end: source.positionAt(rangeStart + index)}, '', {start: range.end, end: range.end}))
      else
        flags.push(
          new Flag(
            range,
            value.substring(2, nameIndex),
            {start: nameStart, end: source.positionAt(rangeStart + index)},
            value.substring(nameIndex + 1),
            {start: source.positionAt(rangeStart + index + 1), end: range.end},
          ),
        )
    }
    return flags
  }

  /** dockerfile-ast's ENV/LABEL/ARG tokeniser: quotes and `${…}` keep blanks inside one word. */
  private propertyArguments(): Argument[] {
    const args: Argument[] = []
    const source = this.source
    const escapeChar = this.escapeChar
    const range = this.getInstructionRange()
    const instructionNameEndOffset = source.offsetAt(range.end)
    const extra = instructionNameEndOffset - source.offsetAt(range.start)
    const fullArgs = this.getTextContent().substring(extra)
    const start = findLeadingNonWhitespace(fullArgs, escapeChar)
    if (start === -1) return []
    const base = instructionNameEndOffset + start
    const startPosition = source.positionAt(base)
    let escaped = range.start.line !== startPosition.line
    let endingEscape = false
    let mark = -1
    const end = this.findTrailingNonWhitespace(fullArgs)
    const content = fullArgs.substring(start, end + 1)
    let argStart = escaped ? -1 : 0
    let spaced = false
    const push = (value: string, from: number, to: number) => args.push(new Argument(value, source, base + from, base + to))
    const spacedArgument = () => {
      if (argStart !== -1) push(content.substring(argStart, mark), argStart, mark)
    }
    argumentLoop: for (let i = 0; i < content.length; i++) {
      const char = content.charAt(i)
      switch (char) {
        case escapeChar:
          if (i + 1 === content.length) {
            endingEscape = true
            break argumentLoop
          }
          if (!escaped) mark = i
          switch (content.charAt(i + 1)) {
            case ' ':
            case '\t':
              if (!isWhitespace(content.charAt(i + 2))) {
                i = i + 1
                continue argumentLoop
              }
              whitespaceCheck: for (let j = i + 2; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case '\r':
                  case '\n':
                    if (content.charAt(j) === '\r') j++
                    escaped = true
                    i = j
                    continue argumentLoop
                  case ' ':
                  case '\t':
                    break
                  default:
                    push(content.substring(argStart, i), argStart, i + 2)
                    argStart = j
                    break whitespaceCheck
                }
              }
              i = argStart - 1
              continue argumentLoop
            case '\r':
            case '\n':
              if (content.charAt(i + 1) === '\r') i++
              escaped = true
              i = i + 1
              continue argumentLoop
            case escapeChar:
              if (argStart === -1) argStart = i
              i = i + 1
              continue argumentLoop
            default:
              if (argStart === -1) argStart = i
              continue argumentLoop
          }
        case "'":
        case '"':
          if (spaced) {
            spacedArgument()
            argStart = i
            spaced = false
          }
          if (argStart === -1) argStart = i
          for (let j = i + 1; j < content.length; j++) {
            switch (content.charAt(j)) {
              case char:
                if (content.charAt(j + 1) !== ' ' && content.charAt(j + 1) !== '') {
                  i = j
                  continue argumentLoop
                }
                push(content.substring(argStart, j + 1), argStart, j + 1)
                i = j
                argStart = -1
                continue argumentLoop
              case escapeChar:
                j++
                break
            }
          }
          break argumentLoop
        case ' ':
        case '\t':
          if (escaped) {
            if (argStart !== -1) spaced = true
          } else if (argStart !== -1) {
            push(content.substring(argStart, i), argStart, i)
            argStart = -1
          }
          break
        case '\r':
        case '\n':
          if (char === '\r') i++
          spaced = false
          break
        case '#':
          if (escaped) {
            for (let j = i + 1; j < content.length; j++) {
              switch (content.charAt(j)) {
                case '\r':
                case '\n':
                  if (content.charAt(j) === '\r') j++
                  i = j
                  spaced = false
                  continue argumentLoop
              }
            }
            if (argStart !== -1) {
              push(content.substring(argStart, mark), argStart, mark)
              argStart = -1
            }
            break argumentLoop
          } else if (argStart === -1) argStart = i
          break
        default:
          if (spaced) {
            spacedArgument()
            argStart = i
            spaced = false
          }
          escaped = false
          if (argStart === -1) argStart = i
          if (char === '$' && content.charAt(i + 1) === '{') {
            let singleQuotes = false
            let doubleQuotes = false
            let escapedInVariable = false
            for (let j = i + 1; j < content.length; j++) {
              switch (content.charAt(j)) {
                case escapeChar:
                  escapedInVariable = true
                  break
                case '\r':
                case '\n':
                  break
                case "'":
                  singleQuotes = !singleQuotes
                  escapedInVariable = false
                  break
                case '"':
                  doubleQuotes = !doubleQuotes
                  escapedInVariable = false
                  break
                case ' ':
                case '\t':
                  if (escapedInVariable || singleQuotes || doubleQuotes) break
                  i = j - 1
                  continue argumentLoop
                case '}':
                  i = j
                  continue argumentLoop
                default:
                  escapedInVariable = false
                  break
              }
            }
            break argumentLoop
          }
          break
      }
    }
    if (argStart !== -1 && argStart !== content.length) {
      const last = endingEscape ? content.length - 1 : content.length
      push(content.substring(argStart, last), argStart, last)
    }
    return args
  }

  private findTrailingNonWhitespace(content: string): number {
    let index = content.length
    whitespaceCheck: for (let i = content.length - 1; i >= 0; i--) {
      const char = content.charAt(i)
      switch (char) {
        case ' ':
        case '\t':
          continue
        case '\n':
        case '\r':
          if (char === '\n' && content.charAt(i - 1) === '\r') i = i - 1
          newlineCheck: for (let j = i - 1; j >= 0; j--) {
            switch (content.charAt(j)) {
              case ' ':
              case '\t':
              case '\r':
              case '\n':
              case this.escapeChar:
                continue
              default:
                index = j
                break newlineCheck
            }
          }
          break whitespaceCheck
        default:
          index = i
          break whitespaceCheck
      }
    }
    return index
  }

  private parseVariables(offset: number, arg: string, variables: Variable[]): void {
    const source = this.source
    const escapeChar = this.escapeChar
    const simple = (name: string, from: number, to: number) =>
      variables.push(new Variable(name, source.range(offset + from + 1, offset + to), source.range(offset + from, offset + to), null))
    variableLoop: for (let i = 0; i < arg.length; i++) {
      switch (arg.charAt(i)) {
        case escapeChar:
          if (arg.charAt(i + 1) === '$') i++
          break
        case '$':
          if (arg.charAt(i + 1) === '{') {
            let escapedName = ''
            let nameEnd = -1
            let modifierRead = -1
            nameLoop: for (let j = i + 2; j < arg.length; j++) {
              const char = arg.charAt(j)
              switch (char) {
                case escapeChar:
                  for (let k = j + 1; k < arg.length; k++) {
                    switch (arg.charAt(k)) {
                      case ' ':
                      case '\t':
                      case '\r':
                        continue
                      case '\n':
                        j = k
                        continue nameLoop
                    }
                  }
                  break
                case '}': {
                  let modifier: string | null = null
                  if (nameEnd === -1) nameEnd = j
                  else if (nameEnd + 1 === j) modifier = ''
                  else modifier = arg.substring(modifierRead, modifierRead + 1)
                  variables.push(new Variable(escapedName, source.range(offset + i + 2, offset + nameEnd), source.range(offset + i, offset + j + 1), modifier))
                  i = j
                  continue variableLoop
                }
                case ':':
                  if (nameEnd === -1) nameEnd = j
                  else if (modifierRead === -1) modifierRead = j
                  break
                case '\n':
                case '\r':
                case ' ':
                case '\t':
                  break
                default:
                  if (nameEnd === -1) escapedName += char
                  else if (modifierRead === -1) modifierRead = j
                  break
              }
            }
            break variableLoop
          } else if (isWhitespace(arg.charAt(i + 1)) || i === arg.length - 1) {
            continue
          } else {
            let escapedName = ''
            nameLoop: for (let j = i + 1; j < arg.length; j++) {
              const char = arg.charAt(j)
              switch (char) {
                case '\r':
                case '\n':
                case ' ':
                case '\t':
                  continue
                case '$':
                case "'":
                case '"':
                  simple(escapedName, i, j)
                  i = j - 1
                  continue variableLoop
                case escapeChar:
                  for (let k = j + 1; k < arg.length; k++) {
                    switch (arg.charAt(k)) {
                      case ' ':
                      case '\t':
                      case '\r':
                        continue
                      case '\n':
                        j = k
                        continue nameLoop
                    }
                  }
                  simple(escapedName, i, j)
                  break variableLoop
              }
              if (!/^[a-z0-9_]+$/i.test(char)) {
                simple(escapedName, i, j)
                i = j - 1
                continue variableLoop
              }
              escapedName += char
            }
            simple(escapedName, i, arg.length)
          }
          break variableLoop
      }
    }
  }

  private indexOfOutsideVariables(documentOffset: number, content: string, search: string): number {
    let index = content.indexOf(search)
    const variables = this.getVariables()
    for (let i = 0; i < variables.length; i++) {
      const position = documentOffset + index
      const range = variables[i].getRange()
      if (this.source.offsetAt(range.start) < position && position < this.source.offsetAt(range.end)) {
        const offset = this.source.offsetAt(range.end) - documentOffset
        const subIndex = content.substring(offset).indexOf(search)
        if (subIndex === -1) return -1
        index = subIndex + offset
        i = -1
      }
    }
    return index
  }

  private lastIndexOfOutsideVariables(documentOffset: number, content: string, search: string): number {
    let index = content.lastIndexOf(search)
    const variables = this.getVariables()
    for (let i = 0; i < variables.length; i++) {
      const position = documentOffset + index
      const range = variables[i].getRange()
      if (this.source.offsetAt(range.start) < position && position < this.source.offsetAt(range.end)) {
        index = content.substring(0, index).lastIndexOf(search)
        if (index === -1) return -1
        i = -1
      }
    }
    return index
  }

  /** dockerfile-ast's heredoc scan over the instruction's lines after its arguments start. */
  private parseHeredocs(): Heredoc[] {
    const args = this.getArguments()
    if (args.length === 0) return []
    const source = this.source
    const escapeChar = this.escapeChar
    const range = this.getRange()
    if (range.start.line === range.end.line) return this.singleLineHeredocs(args)
    const heredocs: Heredoc[] = []
    const definitions: Argument[] = []
    let processed = false
    let escaping = false
    let contentStart = -1
    let contentEnd = -1
    let lineStart = -1
    let current = 0
    const startOffset = source.offsetAt(args[0].getRange().start)
    const content = source.content({start: args[0].getRange().start, end: range.end})
    contentLoop: for (let i = 0; i < content.length; i++) {
      switch (content.charAt(i)) {
        case escapeChar:
          escaping = true
          for (let j = i + 1; j < content.length; j++) {
            switch (content.charAt(j)) {
              case ' ':
              case '\t':
                break
              case '\r':
              case '\n':
                if (content.charAt(j) === '\r') j++
                i = j
                continue contentLoop
              default:
                i = j
                continue contentLoop
            }
          }
          break
        case '\r':
          break
        case '\n':
          if (escaping) break
          if (processed) {
            if (contentStart === -1) contentStart = i
            contentEnd = i
            const arg = definitions[current]
            const startRange = arg.getRange()
            const nameRange = this.heredocNameRange(startRange)
            const name = this.heredocName(nameRange)
            const delimiterRange = this.delimiterRange(arg, name, source.range(startOffset + lineStart, startOffset + i))
            if (delimiterRange !== null) {
              const contentRange = source.range(startOffset + contentStart, startOffset + lineStart - 1)
              heredocs.push(new Heredoc(startRange, name, nameRange, contentRange, delimiterRange))
              contentStart = -1
              current++
            }
            lineStart = -1
          } else {
            // The first unescaped newline: the heredocs are the `<<` words before it.
            const offsetLimit = startOffset + i
            for (const arg of args) {
              if (source.offsetAt(arg.getRange().start) < offsetLimit) {
                if (arg.getValue().startsWith('<<')) definitions.push(arg)
              } else break
            }
            processed = true
            lineStart = -1
            continue contentLoop
          }
          break
        default: {
          const char = content.charAt(i)
          if (escaping && (char === ' ' || char === '\t')) break
          if (escaping && char === '#') {
            // a comment line inside a continuation
            for (let j = i + 1; j < content.length; j++) {
              if (content.charAt(j) === '\n') {
                i = j
                continue contentLoop
              }
            }
          }
          if (escaping) escaping = false
          if (processed) {
            if (contentStart === -1) contentStart = i
            if (lineStart === -1) lineStart = i
          }
          break
        }
      }
    }
    if (!processed) return this.singleLineHeredocs(args)
    const arg = definitions[current]
    const startRange = arg.getRange()
    const nameRange = this.heredocNameRange(startRange)
    const name = this.heredocName(nameRange)
    let contentRange: Range | null = null
    const delimiterRange = this.delimiterRange(arg, name, {start: source.positionAt(startOffset + lineStart), end: range.end})
    if (delimiterRange === null) contentRange = {start: source.positionAt(startOffset + contentStart), end: range.end}
    else if (contentEnd !== -1) contentRange = source.range(startOffset + contentStart, startOffset + contentEnd)
    heredocs.push(new Heredoc(startRange, name, nameRange, contentRange, delimiterRange))
    current++
    for (let i = current; i < definitions.length; i++) {
      const rest = definitions[current]
      const restRange = rest.getRange()
      const restNameRange = this.heredocNameRange(restRange)
      heredocs.push(new Heredoc(restRange, this.heredocName(restNameRange), restNameRange, null, null))
      current++
    }
    return heredocs
  }

  private singleLineHeredocs(args: Argument[]): Heredoc[] {
    const heredocs: Heredoc[] = []
    for (const arg of args) {
      const value = arg.getValue()
      if (value.startsWith('<<') && parseHeredocName(value) !== null) {
        const startRange = arg.getRange()
        const nameRange = this.heredocNameRange(startRange)
        heredocs.push(new Heredoc(startRange, this.heredocName(nameRange), nameRange, null, null))
      }
    }
    return heredocs
  }

  private heredocName(nameRange: Range): string {
    const content = this.source.content(nameRange)
    const escapeChar = this.escapeChar
    let escaping = false
    let name = ''
    nameLoop: for (let i = 0; i < content.length; i++) {
      const ch = content.charAt(i)
      switch (ch) {
        case escapeChar:
          escaping = true
          for (let j = i + 1; j < content.length; j++) {
            switch (content.charAt(j)) {
              case ' ':
              case '\t':
                break
              case '\r':
                i = j + 1
                continue nameLoop
              case '\n':
                i = j
                continue nameLoop
              default:
                name += content.charAt(j)
                i = j
                continue nameLoop
            }
          }
          break
        default:
          if (escaping && ch === '#') {
            for (let j = i + 1; j < content.length; j++) {
              if (content.charAt(j) === '\n') {
                i = j
                continue nameLoop
              }
            }
          }
          if (escaping && (ch === '#' || isWhitespace(ch))) break
          name += ch
          break
      }
    }
    return name
  }

  private heredocNameRange(startRange: Range): Range {
    const source = this.source
    const content = source.content(startRange)
    const escapeChar = this.escapeChar
    let endFound = false
    let searchHyphen = false
    let start = -1
    let end = -1
    let escaping = false
    let quote: string | null = null
    contentLoop: for (let i = 0; i < content.length; i++) {
      const ch = content.charAt(i)
      switch (ch) {
        case '"':
        case "'":
          if (quote === ch) break contentLoop
          quote = ch
          continue
        case escapeChar:
          for (let j = i + 1; j < content.length; j++) {
            if (content.charAt(j) === '\n') {
              escaping = true
              // dockerfile-ast resets j, not i: the scan goes on after the escape character.
              continue contentLoop
            }
          }
          break
        case ' ':
        case '\t':
        case '\r':
        case '\n':
          break
        case '<':
          if (endFound) searchHyphen = true
          else endFound = true
          break
        default:
          if (ch === '-' && searchHyphen) {
            searchHyphen = false
            break
          }
          if (escaping && (ch === '-' || ch === '#')) {
            for (let j = i + 1; j < content.length; j++) {
              if (content.charAt(j) === '\n') {
                i = j
                continue contentLoop
              }
            }
          }
          if (start === -1) start = i
          if (quote !== null) {
            end = i + 1
            break
          }
          break contentLoop
      }
    }
    if (start === -1) return {start: startRange.end, end: startRange.end}
    const base = source.offsetAt(startRange.start)
    return {start: source.positionAt(base + start), end: quote !== null ? source.positionAt(base + end) : startRange.end}
  }

  private delimiterRange(startArg: Argument, name: string, candidate: Range): Range | null {
    const text = this.source.content(candidate)
    if (startArg.getValue().startsWith('<<-')) {
      let index = 0
      while (text.charAt(index) === '\t') index++
      return text.substring(index) === name ? {start: {line: candidate.start.line, character: index}, end: candidate.end} : null
    }
    return text === name ? candidate : null
  }
}

function isInsideRange(position: Position, range: Range): boolean {
  if (range.start.line === range.end.line)
    return range.start.line === position.line && range.start.character <= position.character && position.character <= range.end.character
  if (range.start.line === position.line) return range.start.character <= position.character
  if (range.end.line === position.line) return position.character <= range.end.character
  return range.start.line < position.line && position.line < range.end.line
}

/** The parsed file: parser directives and instructions in order (ONBUILD triggers inside their ONBUILD). */
export class DockerfileSyntax {
  constructor(
    readonly source: SourceText,
    private readonly directives: Directive[],
    private readonly instructions: Instruction[],
  ) {}

  getDirectives(): Directive[] {
    return this.directives
  }

  getInstructions(): Instruction[] {
    return this.instructions
  }
}

/** Parse Dockerfile text (BOM already removed). Never throws. */
export function parseSyntax(text: string): DockerfileSyntax {
  return new Parser(new SourceText(text)).parse()
}

/** dockerfile-ast's parser loop: directives, then instructions, comments and heredoc bodies. */
class Parser {
  private escapeChar = '\\'
  private readonly buffer: string
  private readonly instructions: Instruction[] = []
  /** escapeFrom()'s last answer and the offset it searched from. */
  private nextEscape = -1
  private nextEscapeFrom = -1

  constructor(private readonly source: SourceText) {
    this.buffer = source.text
  }

  parse(): DockerfileSyntax {
    // A BOM left after the caller removed one (a doubled BOM) is skipped like dockerfile-ast does.
    const bom = this.buffer.charCodeAt(0) === 0xfeff ? 1 : 0
    const directives = this.parseDirectives(bom)
    let offset = bom
    if (directives.length > 0) {
      for (const directive of directives) {
        if (directive.getName().toLowerCase() !== 'escape') continue
        const value = directive.getValue()
        if (value === '\\' || value === '`') {
          this.escapeChar = value
          break
        }
      }
      // Instructions start on the line after as many lines as there are directives.
      offset = this.source.offsetAt({line: directives.length, character: 0})
    }
    const buffer = this.buffer
    for (let i = offset; i < buffer.length; i++) {
      const char = buffer.charAt(i)
      switch (char) {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
          break
        case '#':
          i = this.skipComment(i)
          break
        default:
          i = this.processInstruction(char, i)
          break
      }
    }
    return new DockerfileSyntax(this.source, directives, this.instructions)
  }

  private parseDirectives(from: number): Directive[] {
    const directives: Directive[] = []
    const buffer = this.buffer
    const source = this.source
    directiveCheck: for (let i = from; i < buffer.length; i++) {
      switch (buffer.charAt(i)) {
        case ' ':
        case '\t':
          break
        case '\r':
        case '\n':
          break directiveCheck
        case '#': {
          let directiveStart = -1
          let directiveEnd = -1
          for (let j = i + 1; j < buffer.length; j++) {
            const char = buffer.charAt(j)
            switch (char) {
              case ' ':
              case '\t':
                if (directiveStart !== -1 && directiveEnd === -1) directiveEnd = j
                break
              case '\r':
              case '\n':
                break directiveCheck
              case '=': {
                let valueStart = -1
                let valueEnd = -1
                if (directiveEnd === -1) directiveEnd = j
                let lineEnd = buffer.length
                directiveValue: for (let k = j + 1; k < buffer.length; k++) {
                  switch (buffer.charAt(k)) {
                    case '\r':
                    case '\n':
                      if (valueStart !== -1 && valueEnd === -1) valueEnd = k
                      lineEnd = k
                      break directiveValue
                    case '\t':
                    case ' ':
                      if (valueStart !== -1 && valueEnd === -1) valueEnd = k
                      continue
                    default:
                      if (valueStart === -1) valueStart = k
                      break
                  }
                }
                if (directiveStart === -1) break directiveCheck
                if (valueStart === -1) {
                  valueStart = j + 1
                  valueEnd = lineEnd
                } else if (valueEnd === -1) valueEnd = buffer.length
                directives.push(new Directive(source, source.range(i, lineEnd), source.range(directiveStart, directiveEnd), source.range(valueStart, valueEnd)))
                i = buffer.charAt(valueEnd) === '\r' ? valueEnd + 1 : valueEnd
                continue directiveCheck
              }
              default:
                if (directiveStart === -1) directiveStart = j
                break
            }
          }
          break
        }
        default:
          break directiveCheck
      }
    }
    return directives
  }

  private processInstruction(first: string, start: number): number {
    const buffer = this.buffer
    // The common keyword is a plain word ended by a blank or a line break: slice it in one piece.
    // One with the escape character anywhere in it takes the general loop below.
    const escapeCode = this.escapeChar.charCodeAt(0)
    let end = start + 1
    let c = buffer.charCodeAt(end)
    while (end < buffer.length && c !== SPACE && c !== TAB && c !== CR && c !== LF && c !== escapeCode) c = buffer.charCodeAt(++end)
    if (end === buffer.length) {
      this.add(buffer.slice(start, end), start, end, end)
      return end
    }
    if (c === SPACE || c === TAB) return this.processArguments(buffer.slice(start, end), end, start, end)
    if (c === CR || c === LF) {
      this.add(buffer.slice(start, end), start, end, end)
      return end
    }
    return this.processEscapedInstruction(first, start)
  }

  /** processInstruction() for a keyword with the escape character in it (continued, escaped). */
  private processEscapedInstruction(first: string, start: number): number {
    const buffer = this.buffer
    const escapeChar = this.escapeChar
    let instruction = first
    let instructionEnd = -1
    let escapedInstruction = false
    instructionCheck: for (let i = start + 1; i < buffer.length; i++) {
      let char = buffer.charAt(i)
      switch (char) {
        case escapeChar:
          escapedInstruction = true
          char = buffer.charAt(i + 1)
          if (char === '\r' || char === '\n') {
            if (instructionEnd === -1) instructionEnd = i
            i++
          } else if (char === ' ' || char === '\t') {
            for (let j = i + 2; j < buffer.length; j++) {
              switch (buffer.charAt(j)) {
                case ' ':
                case '\t':
                  break
                case '\r':
                case '\n':
                  i = j
                  continue instructionCheck
                default:
                  instructionEnd = i + 1
                  instruction += escapeChar
                  i = j - 2
                  continue instructionCheck
              }
            }
            instructionEnd = i + 1
            instruction += escapeChar
            break instructionCheck
          } else {
            instructionEnd = i + 1
            instruction += escapeChar
            escapedInstruction = false
          }
          break
        case ' ':
        case '\t':
          if (escapedInstruction) {
            escapeCheck: for (let j = i + 1; j < buffer.length; j++) {
              switch (buffer.charAt(j)) {
                case ' ':
                case '\t':
                  break
                case '\r':
                case '\n':
                  i = j
                  continue instructionCheck
                default:
                  break escapeCheck
              }
            }
            escapedInstruction = false
          }
          if (instructionEnd === -1) instructionEnd = i
          return this.processArguments(instruction, instructionEnd, start, i)
        case '\r':
        case '\n':
          if (escapedInstruction) continue
          if (instructionEnd === -1) instructionEnd = i
          this.add(instruction, start, i, i)
          return i
        default:
          if (char === '#' && escapedInstruction) continue
          instructionEnd = i + 1
          instruction += char
          escapedInstruction = false
          break
      }
    }
    if (instructionEnd === -1) instructionEnd = buffer.length
    this.add(instruction, start, instructionEnd, buffer.length)
    return buffer.length
  }

  /** Scan to the end of the instruction (continuations, comment lines, then heredoc bodies); adds it. */
  private processArguments(instruction: string, instructionEnd: number, start: number, offset: number): number {
    const buffer = this.buffer
    const escapeChar = this.escapeChar
    // Every character of the file passes here: compare character codes, not one-character strings.
    const escapeCode = escapeChar.charCodeAt(0)
    if (!this.source.hasCR) {
      // Most instructions are one line without the escape character: then the line break ends
      // the instruction, and indexOf finds both much faster than the loop below.
      const lineEnd = buffer.indexOf('\n', offset + 1)
      const end = lineEnd === -1 ? buffer.length : lineEnd
      if (this.escapeFrom(offset + 1) >= end) {
        if (lineEnd === -1) {
          this.add(instruction, start, instructionEnd, buffer.length)
          return buffer.length
        }
        return this.addEnded(instruction, start, instructionEnd, lineEnd)
      }
    }
    let escaped = false
    argumentsCheck: for (let i = offset + 1; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i)
      if (c === CR || c === LF) {
        if (escaped) continue
        return this.addEnded(instruction, start, instructionEnd, i)
      } else if (c === escapeCode) {
        const next = buffer.charCodeAt(i + 1)
        if (next === LF || next === CR) {
          escaped = true
          i++
        } else if (next === SPACE || next === TAB) {
          for (let j = i + 2; j < buffer.length; j++) {
            const d = buffer.charCodeAt(j)
            if (d === SPACE || d === TAB) continue
            if (d === CR || d === LF) escaped = true
            i = j
            continue argumentsCheck
          }
          this.add(instruction, start, instructionEnd, buffer.length)
          return buffer.length
        }
      } else if (c === HASH) {
        if (escaped) i = this.skipComment(i)
      } else if (c !== SPACE && c !== TAB) escaped = false
    }
    this.add(instruction, start, instructionEnd, buffer.length)
    return buffer.length
  }

  /** Add an instruction whose line ends (unescaped) at `lineEnd`, with the heredoc bodies after it; returns where it ends. */
  private addEnded(instruction: string, start: number, instructionEnd: number, lineEnd: number): number {
    const candidate = new Instruction(this.source, this.escapeChar, instruction, start, instructionEnd, lineEnd)
    const end = this.heredocsEnd(candidate, lineEnd)
    // Without heredoc bodies the candidate is the instruction: keep it and its tokens.
    this.instructions.push(end === lineEnd ? candidate : new Instruction(this.source, this.escapeChar, instruction, start, instructionEnd, end))
    return end
  }

  /**
   * The offset of the first escape character at or after `from` (the buffer's length when there is
   * none). The parser moves forward, so one search answers for all the lines up to that character.
   */
  private escapeFrom(from: number): number {
    if (from < this.nextEscapeFrom || this.nextEscape < from) {
      const at = this.buffer.indexOf(this.escapeChar, from)
      this.nextEscape = at === -1 ? this.buffer.length : at
      this.nextEscapeFrom = from
    }
    return this.nextEscape
  }

  private add(instruction: string, start: number, instructionEnd: number, end: number): void {
    this.instructions.push(new Instruction(this.source, this.escapeChar, instruction, start, instructionEnd, end))
  }

  /** Where the heredoc bodies of an instruction (or of its ONBUILD trigger) end. */
  private heredocsEnd(candidate: Instruction, offset: number): number {
    let instruction: Instruction | null = candidate
    let keyword = instruction.getKeyword()
    if (keyword === 'ONBUILD') {
      instruction = instruction.getTriggerInstruction()
      if (instruction === null) return offset
      keyword = instruction.getKeyword()
    }
    if (keyword !== 'ADD' && keyword !== 'COPY' && keyword !== 'RUN') return offset
    const names: string[] = []
    let tabbed = false
    for (const arg of instruction.getArguments()) {
      const value = arg.getValue()
      if (value.startsWith('<<') && value.length > 2) {
        if (value.startsWith('<<-')) tabbed = true
        const name = parseHeredocName(value)
        if (name !== null) names.push(name)
      }
    }
    for (const name of names) offset = this.heredocEnd(name, offset, tabbed)
    return offset
  }

  private heredocEnd(name: string, offset: number, tabbed: boolean): number {
    const buffer = this.buffer
    let startWord = -1
    let lineStart = true
    for (let i = offset; i < buffer.length; i++) {
      switch (buffer.charAt(i)) {
        case ' ':
          lineStart = false
          break
        case '\t':
          if (!tabbed) lineStart = false
          break
        case '\r':
        case '\n':
          if (startWord !== -1 && name === buffer.substring(startWord, i)) return i
          startWord = -1
          lineStart = true
          break
        default:
          if (lineStart) {
            startWord = i
            lineStart = false
          }
          break
      }
    }
    return buffer.length
  }

  private skipComment(start: number): number {
    const buffer = this.buffer
    for (let i = start + 1; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i)
      if (c === 13 || c === 10) return i
    }
    return buffer.length
  }
}
