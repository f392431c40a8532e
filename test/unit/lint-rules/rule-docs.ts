/**
 * Renders the per-rule sections of docs/lint-rules.md from the rules themselves (the same data
 * `dk lint --explain` shows), so the page cannot drift: docs.test.ts compares it with the file.
 * Regenerate: node --import tsx test/unit/lint-rules/rule-docs.ts --write
 */
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Rule} from '../../../src/dockerfile/rule.js'
import {practiceRules} from '../../../src/dockerfile/rules/practice-index.js'

export const DOC_PATH = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'docs', 'lint-rules.md')
export const BEGIN = '<!-- rules:begin (generated from src/dockerfile/rules/*.ts; do not edit by hand) -->'
export const END = '<!-- rules:end -->'

/** What `--fix` does for each fixable rule, and when it holds back. */
export const FIX_NOTES: Record<string, string> = {
  DK201: 'Replaces the instruction with `LABEL maintainer="…"` (quotes, `$` and the escape character escaped).',
  DK204: 'Replaces the keyword `ADD` with `COPY` (same case). Not offered when ADD-only flags (`--checksum`, `--keep-git-dir`, `--unpack`) are present.',
  DK205: 'Rewrites the arguments as a JSON array when the line uses no shell feature: no variables, globs, `~`, braces, operators, redirections, assignments or shell builtins; a leading `exec` is dropped. Not offered for an ENTRYPOINT while the stage has a CMD (exec form would start passing CMD as arguments), nor under a custom SHELL.',
  DK206: 'Inserts `-y` right after `apt-get`.',
  DK207: 'Inserts `--no-install-recommends` right after `install`.',
  DK208: 'Appends ` && rm -rf /var/lib/apt/lists/*` to the RUN. Only when the same RUN also installs and no later RUN of the stage installs without its own `apt-get update` (the cleanup would break it); never for heredoc scripts.',
  DK209: 'Inserts `--no-cache` right after `add`.',
  DK210: 'Inserts `--no-cache-dir` right after `install`.',
  DK301: 'Replaces the element by one element per word (`"install -y memcached"` → `"install", "-y", "memcached"`), honouring quotes inside it. Not offered when the element holds shell syntax (`$`, `|`, `;`, `>`, globs…): it needed a shell, not a split.',
  DK304: 'Merges the update into the next RUN: `RUN apt-get update -qq` + `RUN apt-get install …` → `RUN apt-get update -qq && apt-get install …` (the install RUN keeps its flags). Only when the install RUN is the very next instruction, only blank lines separate them, and the update RUN has no flags of its own.',
  DK305: 'Joins the LABEL onto the previous one with a continuation line (`LABEL a=1 \\` / `      b=2`). Not offered for the legacy `LABEL key value` form or when a comment sits between them.',
}

function section(rule: Rule): string {
  const aliases = rule.aliases.length > 0 ? rule.aliases.map((a) => `\`${a}\``).join(', ') : 'none (no other linter has this rule)'
  const lines = [
    `<a id="${rule.id.toLowerCase()}"></a>`,
    `### ${rule.id} ${rule.name}`,
    '',
    `${rule.summary}.`,
    '',
    `| Severity | Aliases | Fixable |`,
    `|---|---|---|`,
    `| ${rule.severity} | ${aliases} | ${rule.fixable ? 'yes' : 'no'} |`,
    '',
    `**Why.** ${rule.docs.why}`,
    '',
    '**Bad**',
    '',
    '```dockerfile',
    rule.docs.bad,
    '```',
    '',
    '**Good**',
    '',
    '```dockerfile',
    rule.docs.good,
    '```',
  ]
  if (rule.fixable) lines.push('', `**Fix.** ${FIX_NOTES[rule.id] ?? 'Offered where safe.'}`)
  return lines.join('\n')
}

export function renderRuleSections(rules: Rule[] = practiceRules): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1))
  return [BEGIN, '', ...sorted.map((r) => `${section(r)}\n`), END].join('\n')
}

/** The generated part of the file as it is on disk. */
export function sectionsOnDisk(): string {
  const text = readFileSync(DOC_PATH, 'utf8')
  return text.slice(text.indexOf(BEGIN), text.indexOf(END) + END.length)
}

if (process.argv.includes('--write')) {
  const text = readFileSync(DOC_PATH, 'utf8')
  const next = text.slice(0, text.indexOf(BEGIN)) + renderRuleSections() + text.slice(text.indexOf(END) + END.length)
  writeFileSync(`${DOC_PATH}.tmp`, next)
  renameSync(`${DOC_PATH}.tmp`, DOC_PATH)
}
