/**
 * Suppression comments inside a Dockerfile:
 *
 *   # dk ignore=DK101,from-first        the next instruction
 *   # dk global ignore=DK203            the whole file
 *   # hadolint ignore=DL3006,SC2086     the next instruction (through dk's aliases)
 *   # hadolint global ignore=DL3059     the whole file
 *   # check=skip=JSONArgsRecommended    BuildKit's parser directive (top of file only), `skip=all` too
 *
 * A trailing `# reason` is allowed after the list, as hadolint allows it. A dk pragma naming a rule
 * that does not exist is an error. A hadolint/BuildKit id that exists in that tool but has no dk
 * equivalent is accepted and does nothing (so Dockerfiles written for those tools lint unchanged);
 * an id unknown to that tool too is an error.
 */
import type {Instruction} from './syntax.js'

import {UsageError} from '../cli/errors.js'
import type {DockerfileModel} from './rule.js'
import {isBlank} from './source-text.js'
import {resolveRuleRef, unknownRuleError, type RuleIndex} from './rule-refs.js'

export interface Suppressions {
  /** Rule ids ignored in the whole file. */
  global: ReadonlySet<string>
  /** 0-based start line of an instruction → rule ids ignored on it. */
  byInstructionLine: ReadonlyMap<number, ReadonlySet<string>>
}

/** What a file without parser directives or comments suppresses (shared: the sets are never modified). */
const NOTHING_SUPPRESSED: Suppressions = {global: new Set(), byInstructionLine: new Map()}

const DK_PRAGMA = /^dk\s+(global\s+)?ignore\s*=\s*([^#]*?)\s*(?:#.*)?$/i
const HADOLINT_PRAGMA = /^hadolint\s+(global\s+)?ignore\s*=\s*([^#]*?)\s*(?:#.*)?$/i
/** Looks like a dk pragma but is not well-formed: say so rather than silently ignoring it. */
const DK_PRAGMA_LIKE = /^dk\s+(global\s+)?(ignore|disable|skip)\b/i

/** hadolint 2.15's live rule ids (docs/lint-landscape.md §1.2). */
const HADOLINT_IDS = new Set([
  'DL1001',
  ...range(3000, 3067).filter((n) => ![3005, 3017, 3031, 3039].includes(n)).map((n) => `DL${n}`),
  'DL4000', 'DL4001', 'DL4003', 'DL4004', 'DL4005', 'DL4006',
])

/** BuildKit's build checks (docs/lint-landscape.md §4), lower-cased. */
const BUILDKIT_CHECKS = new Set(
  [
    'StageNameCasing', 'FromAsCasing', 'NoEmptyContinuation', 'ConsistentInstructionCasing', 'DuplicateStageName',
    'ReservedStageName', 'JSONArgsRecommended', 'MaintainerDeprecated', 'UndefinedArgInFrom', 'WorkdirRelativePath',
    'UndefinedVar', 'MultipleInstructionsDisallowed', 'LegacyKeyValueFormat', 'InvalidBaseImagePlatform',
    'RedundantTargetPlatform', 'SecretsUsedInArgOrEnv', 'InvalidDefaultArgInFrom', 'FromPlatformFlagConstDisallowed',
    'CopyIgnoredFile', 'InvalidDefinitionDescription', 'ExposeProtoCasing', 'ExposeInvalidFormat',
  ].map((s) => s.toLowerCase()),
)

function range(from: number, to: number): number[] {
  return Array.from({length: to - from + 1}, (_, i) => from + i)
}

export function collectSuppressions(model: DockerfileModel, index: RuleIndex, file: string): Suppressions {
  const directives = model.ast.getDirectives()
  let comments: Comment[] | undefined
  // Most files have neither: then there is nothing to collect (and no sets to make).
  if (directives.length === 0 && (comments = commentLines(model)).length === 0) return NOTHING_SUPPRESSED
  const global = new Set<string>()
  const byInstructionLine = new Map<number, Set<string>>()
  const instructions = model.ast.getInstructions()
  let starts: number[] | undefined

  for (const directive of directives) {
    if (directive.getName().toLowerCase() !== 'check') continue
    for (const option of directive.getValue().split(';')) {
      const [key, value = ''] = option.split('=', 2).map((s) => s.trim())
      if (key.toLowerCase() !== 'skip') continue
      const names = value.split(',').map((s) => s.trim()).filter(Boolean)
      for (const name of names) {
        if (name.toLowerCase() === 'all') {
          for (const rule of index.rules) if (rule.aliases.some((a) => a.startsWith('buildkit:'))) global.add(rule.id)
          continue
        }
        const ids = resolveRuleRef(`buildkit:${name}`, index)
        if (ids) ids.forEach((id) => global.add(id))
        else if (!BUILDKIT_CHECKS.has(name.toLowerCase()))
          throw unknownRuleError(name, index, 'a # check=skip= directive', at(file, directive.getRange().start.line, 0))
      }
    }
  }

  for (const {line, content, column} of comments ?? commentLines(model)) {
    let match = DK_PRAGMA.exec(content)
    let foreign = false
    if (!match) {
      match = HADOLINT_PRAGMA.exec(content)
      foreign = match !== null
    }
    if (!match) {
      if (DK_PRAGMA_LIKE.test(content))
        throw new UsageError(`Malformed dk pragma '# ${content}'`, {
          code: 'BAD_PRAGMA',
          location: at(file, line, 0),
          hint: 'Write `# dk ignore=RULE[,RULE]` (next instruction) or `# dk global ignore=RULE[,RULE]` (whole file).',
        })
      continue
    }
    const ids = new Set<string>()
    const refs = match[2].split(',').map((s) => s.trim()).filter(Boolean)
    if (refs.length === 0 && !foreign)
      throw new UsageError(`Empty dk pragma '# ${content}': name the rules to ignore`, {
        code: 'BAD_PRAGMA',
        location: at(file, line, 0),
        hint: 'Write `# dk ignore=RULE[,RULE]`; `dk lint --list-rules` shows the ids.',
      })
    for (const ref of refs) {
      const resolved = resolveRuleRef(foreign ? refForHadolint(ref) : ref, index) ?? (foreign ? resolveRuleRef(ref, index) : undefined)
      if (resolved) resolved.forEach((id) => ids.add(id))
      else if (!(foreign && HADOLINT_IDS.has(ref.toUpperCase())))
        throw unknownRuleError(ref, index, foreign ? 'a # hadolint pragma' : 'a # dk pragma', at(file, line, column + Math.max(0, content.indexOf(ref))))
    }
    if (match[1]) ids.forEach((id) => global.add(id))
    else {
      starts ??= instructions.map((i) => i.getRange().start.line)
      const target = nextInstructionLine(starts, line)
      if (target === undefined) continue
      const set = byInstructionLine.get(target) ?? new Set<string>()
      ids.forEach((id) => set.add(id))
      byInstructionLine.set(target, set)
    }
  }
  return {global, byInstructionLine}
}

/** hadolint ids are matched through dk's `hadolint:` aliases first. */
function refForHadolint(ref: string): string {
  return /^DL\d{4}$/i.test(ref) ? `hadolint:${ref.toUpperCase()}` : ref
}

function nextInstructionLine(starts: number[], line: number): number | undefined {
  for (const start of starts) if (start > line) return start
  return undefined
}

/** The instruction a 0-based line belongs to (its start line), for per-instruction suppression. */
export function instructionStartFor(instructions: Instruction[], line: number): number | undefined {
  let lo = 0
  let hi = instructions.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const r = instructions[mid].getRange()
    if (line < r.start.line) hi = mid - 1
    else if (line > r.end.line) lo = mid + 1
    else return r.start.line
  }
  return undefined
}

/**
 * Comment lines, read from the text rather than from the syntax tree: it takes `# dk ignore=X` at
 * the top of a file for a parser directive named "dk" (Docker's directive grammar does not), and
 * heredoc bodies, where `#` lines are script, must be skipped.
 */
interface Comment {
  /** 0-based line. */
  line: number
  /** The text after `#` and blanks, trailing blanks removed. */
  content: string
  /** Where `content` starts on the line. */
  column: number
}

function commentLines(model: DockerfileModel): Comment[] {
  // Many files have no `#` at all; in the others most lines are not comments: look at the first
  // non-blank character before anything else.
  if (!model.text.includes('#')) return []
  const candidates: number[] = []
  const lines = model.lines
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line]
    let k = 0
    while (k < text.length && isBlank(text.charCodeAt(k))) k++
    if (text.charCodeAt(k) === 35) candidates.push(line)
  }
  if (candidates.length === 0) return []
  const inHeredoc = new Set<number>()
  for (const instruction of model.ast.getInstructions()) {
    for (const heredoc of instruction.getHeredocs()) {
      const first = heredoc.getNameRange().start.line + 1
      const last = heredoc.getDelimiterRange()?.end.line ?? instruction.getRange().end.line
      for (let l = first; l <= last; l++) inHeredoc.add(l)
    }
  }
  const comments: Comment[] = []
  for (const line of candidates) {
    if (inHeredoc.has(line)) continue
    const match = /^(\s*#\s*)(.*?)\s*$/.exec(model.lines[line])
    if (match) comments.push({line, content: match[2], column: match[1].length})
  }
  return comments
}

function at(file: string, line: number, character: number): string {
  return `${file}:${line + 1}:${character + 1}`
}
