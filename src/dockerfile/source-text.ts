/**
 * The argument text of an instruction as Docker's parser sees it: continuation lines joined, and
 * the comment and blank lines inside a continuation dropped. Every character keeps the source
 * position it came from, so rules can point at (and fixes can edit) the exact token.
 */
import type {Instruction} from './syntax.js'

import {memoKey, NOT_YET, recall, remember} from './memo.js'
import type {DockerfileModel, Position} from './rule.js'

/**
 * Text whose characters come from places in the file. Positions are kept as runs (a run is a
 * stretch of text whose characters sit side by side on one line), not one object per character:
 * rules ask for a handful of positions, and building thousands of them was a large share of lint time.
 */
export class MappedText {
  /** Triples (text offset, line, character), sorted by text offset; the last one maps text.length. */
  private readonly runs: number[]

  constructor(
    readonly text: string,
    runs: number[],
  ) {
    this.runs = runs
  }

  /** Position of text offset `offset` (the end position for offset === text.length). */
  positionAt(offset: number): Position {
    const runs = this.runs
    if (offset > this.text.length) offset = this.text.length
    if (offset < 0) offset = 0
    let k = runs.length - 3
    while (k > 0 && runs[k] > offset) k -= 3
    return {line: runs[k + 1], character: runs[k + 2] + (offset - runs[k])}
  }

  /** positions[i] is where text[i] sits in the file; positions[text.length] is the end (for tests and debugging). */
  get positions(): Position[] {
    return Array.from({length: this.text.length + 1}, (_, i) => this.positionAt(i))
  }
}

/** Position of text offset `offset` (the end position for offset === text.length). */
export function positionAt(mapped: MappedText, offset: number): Position {
  return mapped.positionAt(offset)
}

/** JavaScript's \s (what trim() and regular expressions treat as blank), by character code. */
export function isBlank(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  )
}

/**
 * Join the lines between `from` and `to` the way Docker does: a line ending with the escape
 * character (trailing blanks allowed) continues on the next line; comment lines and blank lines
 * inside a continuation are skipped. Stops at the first line that does not continue.
 */
export function joinContinuations(model: DockerfileModel, from: Position, to: Position): MappedText {
  const runs: number[] = []
  let text = ''
  const escape = model.escape
  let lastLine = -1
  let lastEnd = 0
  for (let line = from.line; line <= to.line && line < model.lines.length; line++) {
    const full = model.lines[line]
    const startChar = line === from.line ? from.character : 0
    const endChar = line === to.line ? Math.min(to.character, full.length) : full.length
    if (line > from.line) {
      // comment and blank lines inside a continuation are not part of the instruction
      let first = startChar
      while (first < endChar && isBlank(full.charCodeAt(first))) first++
      if (first === endChar || full.charCodeAt(first) === 35) continue
    }
    // a trailing escape character (blanks after it allowed) continues the instruction
    let last = endChar
    while (last > startChar && (full.charCodeAt(last - 1) === 32 || full.charCodeAt(last - 1) === 9)) last--
    const continued = last > startChar && full[last - 1] === escape
    const keepEnd = continued ? last - 1 : endChar
    if (keepEnd > startChar) {
      runs.push(text.length, line, startChar)
      text += full.slice(startChar, keepEnd)
      lastLine = line
      lastEnd = keepEnd
    }
    if (!continued) {
      runs.push(text.length, line, keepEnd)
      return new MappedText(text, runs)
    }
  }
  if (lastLine === -1) runs.push(0, from.line, from.character)
  else runs.push(text.length, lastLine, lastEnd)
  return new MappedText(text, runs)
}

/**
 * The joined text of an instruction's arguments (after its flags). Heredoc bodies are not part of
 * it: only the instruction's own line(s) up to the first heredoc body are joined.
 */
export function argumentsText(model: DockerfileModel, instruction: Instruction): MappedText | undefined {
  // Every rule asks for the same instructions.
  const known = recall<MappedText | undefined>(instruction, ARGUMENTS_TEXT)
  if (known !== NOT_YET) return known
  const range = instruction.getArgumentsRange()
  return remember(instruction, ARGUMENTS_TEXT, range ? joinContinuations(model, range.start, instruction.getRange().end) : undefined)
}

const ARGUMENTS_TEXT = memoKey('instruction', 'argumentsText')

/** The source between two positions as mapped text, line breaks kept (heredocs have no continuations). */
export function verbatimText(model: DockerfileModel, range: {start: Position; end: Position}): MappedText {
  let text = ''
  const runs: number[] = []
  for (let line = range.start.line; line <= range.end.line && line < model.lines.length; line++) {
    const full = model.lines[line]
    const from = line === range.start.line ? range.start.character : 0
    const to = line === range.end.line ? Math.min(range.end.character, full.length) : full.length
    if (to > from || line < range.end.line) runs.push(text.length, line, Math.min(from, to))
    if (to > from) text += full.slice(from, to)
    // the line break maps to the end of its line
    if (line < range.end.line) text += '\n'
  }
  runs.push(text.length, ...(text.length > 0 ? [range.end.line, range.end.character] : [range.start.line, range.start.character]))
  return new MappedText(text, runs)
}

/** The exact source text between two positions. */
export function sliceSource(model: DockerfileModel, start: Position, end: Position): string {
  if (start.line === end.line) return (model.lines[start.line] ?? '').slice(start.character, end.character)
  const parts = [(model.lines[start.line] ?? '').slice(start.character)]
  for (let line = start.line + 1; line < end.line; line++) parts.push(model.lines[line] ?? '')
  parts.push((model.lines[end.line] ?? '').slice(0, end.character))
  return parts.join('\n')
}
