/**
 * Run one rule on a Dockerfile text through the real parser (parse.ts) and apply its fixes the way
 * an LSP client applies TextEdits (all edits against the original text, last edit first).
 */
import {parseDockerfile} from '../../../src/dockerfile/parse.js'
import type {LintOptions, RawFinding, Rule, TextEdit} from '../../../src/dockerfile/rule.js'

export interface RuleFinding extends RawFinding {
  /** 1-based line, as users read it. */
  line: number
  column: number
}

export async function runRule(rule: Rule, text: string, options: LintOptions = {}): Promise<RuleFinding[]> {
  const {model, problems} = parseDockerfile(text)
  if (!model || problems.length > 0) throw new Error(`test Dockerfile does not parse: ${problems.map((p) => p.message).join('; ')}`)
  const prepared = rule.prepare ? await rule.prepare(model, options) : undefined
  const found: RawFinding[] = []
  rule.check({file: 'Dockerfile', model, options, prepared, report: (f) => found.push(f)})
  return found.map((f) => ({...f, line: f.range.start.line + 1, column: f.range.start.character + 1}))
}

/** Lines (1-based) of a rule's findings. */
export async function linesOf(rule: Rule, text: string, options: LintOptions = {}): Promise<number[]> {
  return (await runRule(rule, text, options)).map((f) => f.line)
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1)
  const offset = (p: {line: number; character: number}) => (lineStarts[p.line] ?? text.length) + p.character
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
  let out = text
  let lastStart = Number.POSITIVE_INFINITY
  for (const edit of sorted) {
    const start = offset(edit.range.start)
    const end = offset(edit.range.end)
    if (end > lastStart) throw new Error('overlapping edits')
    out = out.slice(0, start) + edit.newText + out.slice(end)
    lastStart = start
  }
  return out
}

/** Apply every fix the rule offers, once. */
export async function fixWith(rule: Rule, text: string, options: LintOptions = {}): Promise<string> {
  const findings = await runRule(rule, text, options)
  return applyEdits(text, findings.flatMap((f) => f.fix ?? []))
}
