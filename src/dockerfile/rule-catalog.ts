/** `dk lint --list-rules` and `--explain RULE`: the rules as data and as a readable page. */
import {resolveRuleRefsOrThrow} from './rule-refs.js'
import {ruleIndex} from './lint.js'
import type {Rule, Severity} from './rule.js'
import {ruleHelpUri} from './formats/sarif.js'

export interface RuleInfo {
  id: string
  name: string
  severity: Severity
  summary: string
  aliases: string[]
  fixable: boolean
  optIn: boolean
  helpUri: string
}

export interface RulePage extends RuleInfo {
  why: string
  bad: string
  good: string
}

export function listRules(rules: Rule[] = ruleIndex().rules): RuleInfo[] {
  return [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(info)
}

/** The page of one rule, by id, name or alias; an unknown reference is a UsageError. */
export function explainRule(ref: string): RulePage {
  const index = ruleIndex()
  const [id] = resolveRuleRefsOrThrow([ref], index, '--explain')
  const rule = index.byId.get(id)
  if (!rule) {
    // A ShellCheck code: ShellCheck's wiki is the page.
    return {id, name: id, severity: 'warning', summary: `ShellCheck ${id}`, aliases: [], fixable: false, optIn: false, helpUri: ruleHelpUri(id), why: `ShellCheck finding ${id} in a shell-form RUN; see ${ruleHelpUri(id)}.`, bad: '', good: ''}
  }
  return {...info(rule), why: rule.docs.why, bad: rule.docs.bad, good: rule.docs.good}
}

function info(rule: Rule): RuleInfo {
  return {
    id: rule.id,
    name: rule.name,
    severity: rule.severity,
    summary: rule.summary,
    aliases: rule.aliases,
    fixable: rule.fixable,
    optIn: rule.optIn ?? false,
    helpUri: ruleHelpUri(rule.id),
  }
}
