/**
 * Exec-form (JSON array) arguments with their exact values and source ranges.
 *
 * The values are sliced from the joined source text and decoded with JSON.parse (dockerfile-ast,
 * which dk's syntax tree is ported from, stripped whitespace inside JSON strings: `"install -y
 * memcached"` came back as `install-ymemcached`). Docker treats an argument list as exec form only when the whole
 * text is a JSON array of strings; anything else is shell form, and so is `undefined` here.
 */
import type {Instruction} from './syntax.js'

import {memoKey, NOT_YET, recall, remember} from './memo.js'
import type {DockerfileModel, Range} from './rule.js'
import {argumentsText, isBlank, joinContinuations, positionAt, type MappedText} from './source-text.js'

export interface ExecElement {
  /** The decoded string: exactly one argv word for Docker. */
  value: string
  /** The element as written, quotes included. */
  raw: string
  /** Range of the element in the file, quotes included. */
  range: Range
}

/** The argv of an exec-form RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/HEALTHCHECK CMD, or undefined for shell form. */
export function execForm(model: DockerfileModel, instruction: Instruction): ExecElement[] | undefined {
  const known = recall<ExecElement[] | undefined>(instruction, EXEC_FORM)
  if (known !== NOT_YET) return known
  return remember(instruction, EXEC_FORM, computeExecForm(model, instruction))
}

const EXEC_FORM = memoKey('instruction', 'execForm')

function computeExecForm(model: DockerfileModel, instruction: Instruction): ExecElement[] | undefined {
  if (instruction.getKeyword() === 'HEALTHCHECK') {
    // `HEALTHCHECK [--flags] CMD [...]`: the exec form follows the CMD word.
    const sub = instruction.getSubcommand()
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined
    return parseExecForm(joinContinuations(model, sub.getRange().end, instruction.getRange().end))
  }
  const args = argumentsText(model, instruction)
  return args ? parseExecForm(args) : undefined
}

/**
 * Docker's rule: the argument text is exec form iff it is a JSON array of strings. The element
 * offsets come from a scan of the joined text (so elements on continuation lines are exact too).
 */
export function parseExecForm(args: MappedText): ExecElement[] | undefined {
  const text = args.text
  // Most arguments are shell form: skip JSON.parse (and the cost of its exception) unless the text
  // can be an array at all, i.e. starts with `[` after blanks (/^\s*\[/ without a regex run per
  // instruction).
  let first = 0
  while (first < text.length && isBlank(text.charCodeAt(first))) first++
  if (text.charCodeAt(first) !== 91) return undefined
  const plain = plainStringArray(args, first)
  if (plain !== undefined) return plain
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed)) return undefined
  for (const value of parsed) if (typeof value !== 'string') return undefined
  const elements: ExecElement[] = []
  let i = first + 1
  for (const value of parsed as string[]) {
    const start = text.indexOf('"', i)
    let end = start + 1
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1
    end++
    elements.push({value, raw: text.slice(start, end), range: {start: positionAt(args, start), end: positionAt(args, end)}})
    i = end
  }
  return elements
}

/** JSON's four whitespace characters (the only blanks JSON.parse accepts between tokens). */
function isJsonBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13
}

/**
 * The common exec form, `["a", "b"]` with no escape sequence in any string, read in one scan: the
 * values are then the text between the quotes, exactly what JSON.parse would return, and the
 * offsets come with them. Undefined for anything else (escapes, control characters, other
 * values, a syntax error): the caller then lets JSON.parse decide. Calling JSON.parse on every
 * CMD and ENTRYPOINT was a visible share of lint time.
 */
function plainStringArray(args: MappedText, open: number): ExecElement[] | undefined {
  const text = args.text
  const length = text.length
  for (let k = 0; k < open; k++) if (!isJsonBlank(text.charCodeAt(k))) return undefined
  const elements: ExecElement[] = []
  let i = open + 1
  while (i < length && isJsonBlank(text.charCodeAt(i))) i++
  if (text.charCodeAt(i) !== 93) {
    for (;;) {
      if (text.charCodeAt(i) !== 34) return undefined
      const start = i++
      let c = text.charCodeAt(i)
      // A backslash (an escape) or a control character (invalid in JSON): not for this scan.
      while (i < length && c !== 34 && c !== 92 && c >= 32) c = text.charCodeAt(++i)
      if (i >= length || c !== 34) return undefined
      const end = ++i
      elements.push({value: text.slice(start + 1, end - 1), raw: text.slice(start, end), range: {start: positionAt(args, start), end: positionAt(args, end)}})
      while (i < length && isJsonBlank(text.charCodeAt(i))) i++
      if (text.charCodeAt(i) === 93) break
      if (text.charCodeAt(i) !== 44) return undefined
      i++
      while (i < length && isJsonBlank(text.charCodeAt(i))) i++
    }
  }
  // After the closing bracket only blanks may follow.
  for (i++; i < length; i++) if (!isJsonBlank(text.charCodeAt(i))) return undefined
  return elements
}

/** Render argv as an exec-form JSON array the way people write it: `["a", "b"]`. */
export function formatExecForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`
}
