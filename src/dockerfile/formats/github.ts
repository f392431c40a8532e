import type {Severity} from '../rule.js'
import type {LintResult} from '../types.js'

/** GitHub Actions has three annotation levels; info and style become notices. */
const COMMAND: Record<Severity, string> = {error: 'error', warning: 'warning', info: 'notice', style: 'notice'}

/** Workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`. */
export function formatGithub(results: LintResult[]): string {
  const lines: string[] = []
  for (const result of results) {
    for (const f of result.findings) {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(f.rule)}`,
      ].join(',')
      lines.push(`::${COMMAND[f.severity]} ${props}::${escapeData(f.message)}`)
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

// The escaping rules of @actions/core (toCommandValue / escapeData / escapeProperty).
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
