import type {Severity} from '../rule.js'
import type {LintResult} from '../types.js'

/** Checkstyle knows error, warning and info; style maps to info (as hadolint does). */
const LEVEL: Record<Severity, string> = {error: 'error', warning: 'warning', info: 'info', style: 'info'}

/** Checkstyle XML: one <file> per linted file (also files without findings, as checkstyle does). */
export function formatCheckstyle(results: LintResult[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">']
  for (const result of results) {
    out.push(`  <file name="${xml(result.file)}">`)
    for (const f of result.findings) {
      out.push(
        `    <error line="${f.line}" column="${f.column}" severity="${LEVEL[f.severity]}" message="${xml(f.message)}" source="dk.${xml(f.rule)}"/>`,
      )
    }
    out.push('  </file>')
  }
  out.push('</checkstyle>')
  return `${out.join('\n')}\n`
}

function xml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 cannot carry most control characters, even escaped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD')
  )
}
