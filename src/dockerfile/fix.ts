/**
 * `dk lint --fix`: apply the edits of every fixable finding, re-lint, repeat until nothing is left
 * to fix (at most MAX_PASSES, so two rules can never ping-pong forever). Within one pass, edits that
 * overlap an already chosen edit wait for the next pass; a finding's edits are taken all or none.
 * The file is written atomically (temp file in the same directory, original mode, rename), keeps its
 * BOM and line endings, and is not touched at all when nothing changes. A fix that would make the
 * file unparseable is refused: that is a dk bug, and the user's file must not pay for it.
 */
import {chmod, rename, stat, unlink, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {WorkFailedError} from '../cli/errors.js'
import {lintText, lintTextSync} from './lint.js'
import type {TextEdit} from './rule.js'
import type {LintFindingWithFix, LintResult, LintTextOptions} from './types.js'

const MAX_PASSES = 10

export interface FixResult {
  /** The text after all passes (BOM kept when the input had one). */
  text: string
  /** Findings fixed, over all passes. */
  applied: number
  /** The lint result of the final text. */
  result: LintResult
  changed: boolean
}

export async function fixText(input: string, options: LintTextOptions = {}): Promise<FixResult> {
  const bom = input.startsWith('\uFEFF') ? '\uFEFF' : ''
  let text = bom ? input.slice(1) : input
  let applied = 0
  // Passes use the synchronous lint: fixable rules need no `prepare` (ShellCheck findings are never
  // fixable), so spawning external tools once per pass would only cost time. The final result is full.
  let result: LintResult = lintTextSync(text, options)
  const originallyParsed = !result.parseError
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fixable = result.findings.filter((f) => f.fixable && f.edits && f.edits.length > 0)
    if (fixable.length === 0) break
    const {text: next, count} = applyFindings(text, fixable)
    if (count === 0 || next === text) break
    const nextResult = lintTextSync(next, options)
    if (originallyParsed && nextResult.parseError) {
      throw new WorkFailedError(`A fix would make ${options.file ?? 'the Dockerfile'} unparseable; the file was left unchanged`, {
        hint: 'This is a dk bug: please report it with the Dockerfile. `dk lint` without --fix still works.',
      })
    }
    text = next
    result = nextResult
    applied += count
  }
  result = await lintText(text, options)
  return {text: bom + text, applied, result, changed: bom + text !== input}
}

/** Apply the non-overlapping edits of these findings in one pass. */
export function applyFindings(text: string, findings: LintFindingWithFix[]): {text: string; count: number} {
  const starts = lineStarts(text)
  const crlf = text.includes('\r\n')
  const offset = (line: number, character: number) => {
    const start = starts[Math.min(line, starts.length - 1)] ?? text.length
    return Math.min(start + character, text.length)
  }
  const chosen: {from: number; to: number; newText: string}[] = []
  let count = 0
  for (const finding of findings) {
    const edits = (finding.edits ?? []).map((e: TextEdit) => ({
      from: offset(e.range.start.line, e.range.start.character),
      to: offset(e.range.end.line, e.range.end.character),
      newText: crlf ? e.newText.replace(/\r?\n/g, '\r\n') : e.newText,
    }))
    const clash = edits.some((e) => chosen.some((c) => overlaps(e, c)) || edits.some((o) => o !== e && overlaps(e, o)))
    if (clash) continue
    chosen.push(...edits)
    count++
  }
  chosen.sort((a, b) => b.from - a.from || b.to - a.to)
  let out = text
  for (const e of chosen) out = out.slice(0, e.from) + e.newText + out.slice(e.to)
  return {text: out, count}
}

/** Two edits clash when their ranges intersect, or both insert at the same point (order unknown). */
function overlaps(a: {from: number; to: number}, b: {from: number; to: number}): boolean {
  if (a.from === a.to && b.from === b.to) return a.from === b.from
  return a.from < b.to && b.from < a.to
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 10) starts.push(i + 1)
    else if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) i++
      starts.push(i + 1)
    }
  }
  return starts
}

/** Replace a file's content atomically, keeping its mode. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const info = await stat(path)
  const temp = join(dirname(path), `.${basename(path)}.dk-fix-${process.pid}-${Date.now().toString(36)}`)
  try {
    await writeFile(temp, content, {encoding: 'utf8', mode: info.mode & 0o7777, flag: 'wx'})
    await chmod(temp, info.mode & 0o7777)
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

/** A unified diff of a fix, for --fix-dry-run (the diff package is loaded only here). */
export async function unifiedDiff(file: string, before: string, after: string): Promise<string> {
  const {createTwoFilesPatch} = await import('diff')
  const absolute = /^([a-zA-Z]:)?[\\/]/.test(file)
  const patch = createTwoFilesPatch(absolute ? file : `a/${file}`, absolute ? file : `b/${file}`, before, after, undefined, undefined, {context: 3})
  // jsdiff starts with a line of '=' that git and patch(1) do not write.
  return patch.replace(/^=+\n/, '')
}
