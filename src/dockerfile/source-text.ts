/**
 * The argument text of an instruction as Docker's parser sees it: continuation lines joined, and
 * the comment and blank lines inside a continuation dropped. Every character keeps the source
 * position it came from, so rules can point at (and fixes can edit) the exact token.
 */
import type {Instruction} from './syntax.js'

import type {DockerfileModel, Position} from './rule.js'

export interface MappedText {
  text: string
  /** positions[i] is where text[i] sits in the file; positions[text.length] is the end. */
  positions: Position[]
}

/** Position of text offset `offset` (the end position for offset === text.length). */
export function positionAt(mapped: MappedText, offset: number): Position {
  return mapped.positions[Math.max(0, Math.min(offset, mapped.positions.length - 1))]
}

/**
 * Join the lines between `from` and `to` the way Docker does: a line ending with the escape
 * character (trailing blanks allowed) continues on the next line; comment lines and blank lines
 * inside a continuation are skipped. Stops at the first line that does not continue.
 */
export function joinContinuations(model: DockerfileModel, from: Position, to: Position): MappedText {
  const positions: Position[] = []
  let text = ''
  const escape = model.escape
  for (let line = from.line; line <= to.line && line < model.lines.length; line++) {
    const full = model.lines[line]
    const startChar = line === from.line ? from.character : 0
    const endChar = line === to.line ? Math.min(to.character, full.length) : full.length
    const segment = full.slice(startChar, endChar)
    if (line > from.line && (/^\s*#/.test(segment) || segment.trim() === '')) continue
    const continued = new RegExp(`${escapeRegExp(escape)}[ \\t]*$`).exec(segment)
    const keep = continued ? segment.slice(0, continued.index) : segment
    for (let i = 0; i < keep.length; i++) {
      text += keep[i]
      positions.push({line, character: startChar + i})
    }
    if (!continued) {
      positions.push({line, character: startChar + keep.length})
      return {text, positions}
    }
  }
  const last = positions.at(-1)
  positions.push(last ? {line: last.line, character: last.character + 1} : from)
  return {text, positions}
}

/**
 * The joined text of an instruction's arguments (after its flags). Heredoc bodies are not part of
 * it: only the instruction's own line(s) up to the first heredoc body are joined.
 */
export function argumentsText(model: DockerfileModel, instruction: Instruction): MappedText | undefined {
  // Every rule asks for the same instructions, and dockerfile-ast recomputes ranges on each call.
  if (argumentsCache.has(instruction)) return argumentsCache.get(instruction)
  const range = instruction.getArgumentsRange()
  const mapped = range ? joinContinuations(model, range.start, instruction.getRange().end) : undefined
  argumentsCache.set(instruction, mapped)
  return mapped
}

const argumentsCache = new WeakMap<Instruction, MappedText | undefined>()

/** The source between two positions as mapped text, line breaks kept (heredocs have no continuations). */
export function verbatimText(model: DockerfileModel, range: {start: Position; end: Position}): MappedText {
  let text = ''
  const positions: Position[] = []
  for (let line = range.start.line; line <= range.end.line && line < model.lines.length; line++) {
    const full = model.lines[line]
    const from = line === range.start.line ? range.start.character : 0
    const to = line === range.end.line ? Math.min(range.end.character, full.length) : full.length
    for (let c = from; c < to; c++) {
      text += full[c]
      positions.push({line, character: c})
    }
    if (line < range.end.line) {
      text += '\n'
      positions.push({line, character: to})
    }
  }
  positions.push(positions.length > 0 ? {...range.end} : range.start)
  return {text, positions}
}

/** The exact source text between two positions. */
export function sliceSource(model: DockerfileModel, start: Position, end: Position): string {
  if (start.line === end.line) return (model.lines[start.line] ?? '').slice(start.character, end.character)
  const parts = [(model.lines[start.line] ?? '').slice(start.character)]
  for (let line = start.line + 1; line < end.line; line++) parts.push(model.lines[line] ?? '')
  parts.push((model.lines[end.line] ?? '').slice(0, end.character))
  return parts.join('\n')
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
