import type {Rule, Severity} from '../rule.js'
import type {LintResult} from '../types.js'
import type {FormatContext} from './index.js'

/**
 * Where rule pages live. SARIF needs absolute URIs; dk's rule reference is in the repository's
 * docs/: the DK1xx table in lint.md, one anchor per DK2xx/DK3xx rule in lint-rules.md. ShellCheck
 * codes link to the ShellCheck wiki.
 */
export const RULE_DOCS_BASE = 'https://github.com/dk-workshop/dk/blob/main/docs/lint.md'
const RULE_PAGES_BASE = 'https://github.com/dk-workshop/dk/blob/main/docs/lint-rules.md'

export function ruleHelpUri(id: string): string {
  if (/^SC\d{4}$/.test(id)) return `https://www.shellcheck.net/wiki/${id}`
  if (/^DK1\d\d$/.test(id)) return `${RULE_DOCS_BASE}#correctness-rules-dk1xx`
  return `${RULE_PAGES_BASE}#${id.toLowerCase()}`
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {error: 'error', warning: 'warning', info: 'note', style: 'note'}

/** SARIF 2.1.0: one run, the rules that fired (with help text and URIs), one result per finding. */
export function formatSarif(results: LintResult[], context: FormatContext): string {
  const byId = new Map(context.rules.map((r) => [r.id, r]))
  const ruleOrder: string[] = []
  const ruleIndex = new Map<string, number>()
  const descriptor = (id: string) => {
    const rule = byId.get(id)
    return rule ? ruleDescriptor(rule) : {id, name: id, shortDescription: {text: `ShellCheck ${id}`}, helpUri: ruleHelpUri(id)}
  }
  const sarifResults = results.flatMap((result) =>
    result.findings.map((f) => {
      if (!ruleIndex.has(f.rule)) {
        ruleIndex.set(f.rule, ruleOrder.length)
        ruleOrder.push(f.rule)
      }
      return {
        ruleId: f.rule,
        ruleIndex: ruleIndex.get(f.rule)!,
        level: LEVEL[f.severity],
        message: {text: f.message},
        locations: [
          {
            physicalLocation: {
              artifactLocation: {uri: toUri(f.file)},
              region: {startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn},
            },
          },
        ],
        properties: {severity: f.severity, aliases: f.aliases, fixable: f.fixable},
      }
    }),
  )
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dk',
            version: context.version,
            informationUri: RULE_DOCS_BASE,
            rules: ruleOrder.map(descriptor),
          },
        },
        artifacts: results.map((r) => ({location: {uri: toUri(r.file)}})),
        results: sarifResults,
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}

function ruleDescriptor(rule: Rule) {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: {text: rule.summary},
    fullDescription: {text: rule.docs.why},
    help: {
      text: `${rule.docs.why}\n\nBad:\n${rule.docs.bad}\nGood:\n${rule.docs.good}`,
      markdown: `${rule.docs.why}\n\nBad:\n\`\`\`dockerfile\n${rule.docs.bad}\`\`\`\n\nGood:\n\`\`\`dockerfile\n${rule.docs.good}\`\`\``,
    },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: {level: LEVEL[rule.severity]},
    properties: {tags: rule.aliases, severity: rule.severity, fixable: rule.fixable},
  }
}

/** Relative paths stay relative (uriBaseId-free, as GitHub code scanning expects); separators become /. */
function toUri(file: string): string {
  if (file === '<stdin>') return 'stdin'
  const slashed = file.replace(/\\/g, '/')
  if (slashed.startsWith('/')) return `file://${slashed.split('/').map(encodeURIComponent).join('/')}`
  if (/^[a-zA-Z]:\//.test(slashed)) return `file:///${slashed.slice(0, 2)}${slashed.slice(2).split('/').map(encodeURIComponent).join('/')}`
  return file
    .replace(/\\/g, '/')
    .split('/')
    .map((part, i) => (i === 0 && /^[a-zA-Z]:$/.test(part) ? part : encodeURIComponent(part)))
    .join('/')
}
