import {out, symbols} from '../../cli/output.js'
import type {Severity} from '../rule.js'
import type {LintResult} from '../types.js'

/**
 * The human format: findings grouped per file, each with the source line and a caret under the
 * offending token, then one summary line. Colours only through output.ts (off for pipes/NO_COLOR).
 */
export function formatStylish(results: LintResult[]): string {
  const c = out()
  const paint: Record<Severity, (s: string) => string> = {error: c.red, warning: c.yellow, info: c.cyan, style: c.gray}
  const lines: string[] = []
  const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0, style: 0}
  let fixable = 0
  for (const result of results) {
    if (result.findings.length === 0) continue
    const source = result.text.split(/\r\n|\r|\n/)
    lines.push(c.underline(result.file))
    for (const f of result.findings) {
      counts[f.severity]++
      if (f.fixable) fixable++
      lines.push(`  ${c.dim(`${f.line}:${f.column}`)}  ${paint[f.severity](f.severity)}  ${f.message}  ${c.dim(f.rule)}`)
      const text = source[f.line - 1]
      if (text === undefined) continue
      const gutter = `${f.line} | `
      const shown = clip(text)
      lines.push(`    ${c.dim(gutter)}${shown}`)
      const width = f.endLine === f.line ? Math.max(1, f.endColumn - f.column) : Math.max(1, text.length - f.column + 1)
      const caretAt = Math.min(f.column - 1, shown.length)
      const underline = ' '.repeat(caretAt) + '^'.repeat(Math.max(1, Math.min(width, shown.length - caretAt)))
      lines.push(`    ${' '.repeat(gutter.length - 2)}${c.dim('|')} ${paint[f.severity](underline)}`)
    }
    lines.push('')
  }
  const total = counts.error + counts.warning + counts.info + counts.style
  const files = results.length
  if (total === 0) {
    lines.push(`${c.green(symbols().ok)} ${files} file${files === 1 ? '' : 's'} linted, no problems`)
  } else {
    const parts = (['error', 'warning', 'info', 'style'] as Severity[]).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${s === 'error' || s === 'warning' ? plural(counts[s]) : ''}`)
    lines.push(`${(counts.error > 0 ? c.red : c.yellow)(symbols().fail)} ${total} problem${plural(total)} (${parts.join(', ')}) in ${files} file${plural(files)}`)
    if (fixable > 0) lines.push(`  ${fixable} fixable with \`dk lint --fix\``)
  }
  return `${lines.join('\n')}\n`
}

function plural(n: number): string {
  return n === 1 ? '' : 's'
}

/** Tabs become one space so the caret lines up; very long lines are cut (binary-ish input). */
function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/\t/g, ' ').replace(/[\u0000-\u001F\u007F]/g, '\u00B7')
  return flat.length > 200 ? flat.slice(0, 200) : flat
}
