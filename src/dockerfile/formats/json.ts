import type {LintFinding, LintResult} from '../types.js'

/** One JSON array of every finding, in the documented shape (fix edits dropped). */
export function formatJson(results: LintResult[]): string {
  const findings: LintFinding[] = results.flatMap((r) =>
    r.findings.map(({file, line, column, endLine, endColumn, rule, severity, message, aliases, fixable}) => ({
      file, line, column, endLine, endColumn, rule, severity, message, aliases, fixable,
    })),
  )
  return `${JSON.stringify(findings)}\n`
}
