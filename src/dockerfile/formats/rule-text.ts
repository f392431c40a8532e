import {out, table} from '../../cli/output.js'
import type {RuleInfo, RulePage} from '../rule-catalog.js'

/** `dk lint --explain RULE`, for a terminal. */
export function renderRulePage(page: RulePage): string {
  const c = out()
  const lines = [
    `${c.bold(page.id)} ${page.name} (${page.severity}${page.fixable ? ', fixable' : ''}${page.optIn ? ', opt-in' : ''})`,
    page.summary,
    '',
    page.why,
  ]
  if (page.bad) lines.push('', c.red('Bad:'), indent(page.bad))
  if (page.good) lines.push(c.green('Good:'), indent(page.good))
  if (page.aliases.length > 0) lines.push(`Also known as: ${page.aliases.join(', ')}`)
  lines.push(`More: ${page.helpUri}`)
  return lines.join('\n')
}

/** `dk lint --list-rules`. */
export function renderRuleTable(rules: RuleInfo[]): string {
  return table(
    ['ID', 'NAME', 'SEVERITY', 'FIX', 'SUMMARY'],
    rules.map((r) => [r.id, r.name, r.severity + (r.optIn ? ' (opt-in)' : ''), r.fixable ? 'yes' : '', r.summary]),
  )
}

function indent(text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
}
