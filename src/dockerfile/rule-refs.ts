/**
 * Resolving what users write to name a rule — in `--ignore`, `.dk-lint.yaml`, `# dk ignore=`,
 * `# hadolint ignore=`, `# check=skip=` — to dk's canonical ids. A rule may be named by its id
 * (`DK101`), its name (`from-first`), a full alias (`hadolint:DL3061`) or an alias without its tool
 * (`DL3061`, `MaintainerDeprecated`). ShellCheck codes (`SC2086`) are always accepted: they are a
 * documented family, and a config must not become invalid on a machine without shellcheck. A name that matches nothing is an error (the caller decides how to report it), never silence.
 */
import {UsageError} from '../cli/errors.js'
import {closest} from '../cli/suggest.js'
import type {Rule} from './rule.js'

export const SHELLCHECK_CODE = /^SC\d{4}$/i

export interface RuleIndex {
  rules: Rule[]
  byId: Map<string, Rule>
  /** lower-cased id / name / alias / bare alias → canonical ids. */
  refs: Map<string, string[]>
}

const cache = new WeakMap<Rule[], RuleIndex>()

export function indexRules(rules: Rule[]): RuleIndex {
  const cached = cache.get(rules)
  if (cached) return cached
  const refs = new Map<string, string[]>()
  const add = (key: string, id: string) => {
    const k = key.toLowerCase()
    const list = refs.get(k) ?? []
    if (!list.includes(id)) list.push(id)
    refs.set(k, list)
  }
  for (const rule of rules) {
    add(rule.id, rule.id)
    add(rule.name, rule.id)
    for (const alias of rule.aliases) {
      add(alias, rule.id)
      const bare = alias.slice(alias.indexOf(':') + 1)
      if (bare) add(bare, rule.id)
    }
  }
  const index: RuleIndex = {
    rules,
    byId: new Map(rules.map((r) => [r.id, r])),
    refs,
  }
  cache.set(rules, index)
  return index
}

/** Canonical ids for a reference, or undefined when it names nothing. */
export function resolveRuleRef(ref: string, index: RuleIndex): string[] | undefined {
  const trimmed = ref.trim()
  if (SHELLCHECK_CODE.test(trimmed)) return [trimmed.toUpperCase()]
  return index.refs.get(trimmed.toLowerCase())
}

/** The closest known reference, for "did you mean". */
export function suggestRuleRef(ref: string, index: RuleIndex): string | undefined {
  const candidates = [...index.rules.map((r) => r.id), ...index.rules.map((r) => r.name)]
  return closest(ref.trim(), candidates)
}

/** Resolve a list or throw a UsageError naming where the bad reference was written. */
export function resolveRuleRefsOrThrow(refs: string[], index: RuleIndex, where: string, location?: string): string[] {
  const ids: string[] = []
  for (const ref of refs) {
    const resolved = resolveRuleRef(ref, index)
    if (!resolved) throw unknownRuleError(ref, index, where, location)
    ids.push(...resolved)
  }
  return [...new Set(ids)]
}

export function unknownRuleError(ref: string, index: RuleIndex, where: string, location?: string): UsageError {
  const guess = suggestRuleRef(ref, index)
  return new UsageError(`Unknown rule '${ref}' in ${where}`, {
    code: 'UNKNOWN_RULE',
    location,
    hint: guess ? `Did you mean ${guess}? \`dk lint --list-rules\` shows every rule.` : '`dk lint --list-rules` shows every rule id and name.',
  })
}
