/**
 * `dk context --why PATH`: replay Docker's decision for one path, directory by directory, and name
 * what decided it — a `.dockerignore` line (file:line), the always-send rule, no pattern at all, or
 * a parent directory that Docker skips without looking inside (the textual-prefix pruning rule).
 */
import {lstatSync} from 'node:fs'
import {isAbsolute, join, relative, sep} from 'node:path'

import {UsageError} from '../cli/errors.js'
import {goClean} from './go-compat.js'
import type {MatchInfo, Pattern} from './pattern-matcher.js'
import {type ContextPlan, isAlwaysSentOrigin} from './plan.js'
import {exceptionPrefixesOf, isWalkedInto} from './walk.js'

export type WhyVerdict = 'sent' | 'excluded'

export type WhyReason =
  /** No pattern matched: sent. */
  | 'not-matched'
  /** A `.dockerignore` pattern excluded it (or one of its parents). */
  | 'excluded'
  /** An exception (`!`) brought it back. */
  | 're-included'
  /** Excluded, but Docker always sends the Dockerfile and .dockerignore. */
  | 'always-sent'
  /** A parent directory is excluded and Docker never looks inside it. */
  | 'parent-pruned'

export interface PatternRef {
  /** `.dockerignore:3`, or "(always sent)". */
  location: string
  file: string
  line: number
  /** The line as written. */
  text: string
  exception: boolean
}

export interface WhyResult {
  path: string
  verdict: WhyVerdict
  reason: WhyReason
  /** The pattern that decided, when one did. */
  decidedBy?: PatternRef
  /** For `parent-pruned`: the directory and the pattern that excluded it. */
  prunedAt?: {dir: string; decidedBy?: PatternRef}
  /** Parent directories that are excluded but walked into: Docker sends no entry for them. */
  parentsWithoutEntry: string[]
  /** What is on disk at that path (lstat, never following a symlink). */
  exists: boolean
  type?: 'file' | 'dir' | 'symlink' | 'other'
  /** One sentence for humans. */
  message: string
}

/** Explain Docker's decision for `input` (relative to the context, or absolute inside it). */
export function explainPath(plan: ContextPlan, input: string): WhyResult {
  const rel = toContextPath(plan, input)
  const {matcher} = plan
  const prefixes = exceptionPrefixesOf(matcher)
  const parts = rel.split('/')
  const parentsWithoutEntry: string[] = []
  let info: MatchInfo
  const onDisk = inspect(plan.dir, parts)
  for (let i = 0; i < parts.length; i++) {
    const path = parts.slice(0, i + 1).join('/')
    const last = i === parts.length - 1
    const decision = matcher.matchesUsingParentResults(path, info)
    const decidedBy = decision.decidedBy >= 0 ? refOf(matcher.patterns[decision.decidedBy]) : undefined
    if (!last) {
      if (decision.excluded) {
        if (!isWalkedInto(matcher, prefixes, path)) {
          return {
            path: rel,
            verdict: 'excluded',
            reason: 'parent-pruned',
            prunedAt: {dir: path, decidedBy},
            parentsWithoutEntry,
            ...onDisk,
            message: `${rel} is not sent: its parent ${path}/ is excluded${decidedBy ? ` by ${decidedBy.location} (${decidedBy.text.trim()})` : ''} and Docker does not look inside it, because no exception names a path under ${path}/ literally${laterException(matcher.patterns, rel)}.`,
          }
        }
        parentsWithoutEntry.push(path)
      }
      info = decision.info
      continue
    }
    const base = {path: rel, decidedBy, parentsWithoutEntry, ...onDisk}
    const noEntry = parentsWithoutEntry.length > 0 ? ` (Docker sends no entry for its excluded parent ${parentsWithoutEntry.join('/, ')}/)` : ''
    if (decision.excluded) {
      return {...base, verdict: 'excluded', reason: 'excluded', message: `${rel} is not sent: excluded by ${decidedBy?.location} (${decidedBy?.text.trim()}).`}
    }
    if (!decidedBy) {
      return {...base, verdict: 'sent', reason: 'not-matched', message: `${rel} is sent: no .dockerignore pattern matches it${noEntry}.${anchoringHint(matcher.patterns, rel)}`}
    }
    if (isAlwaysSentOrigin(decidedBy.file)) {
      const wouldExclude = lastExcluder(matcher.patterns, decision.info, decision.decidedBy)
      return {
        ...base,
        verdict: 'sent',
        reason: 'always-sent',
        message: `${rel} is always sent: Docker protects the Dockerfile and .dockerignore${wouldExclude ? ` although ${wouldExclude.location} (${wouldExclude.text.trim()}) matches it` : ''}${noEntry}.`,
      }
    }
    return {...base, verdict: 'sent', reason: 're-included', message: `${rel} is sent: re-included by ${decidedBy.location} (${decidedBy.text.trim()})${noEntry}.`}
  }
  throw new UsageError('--why needs a path inside the context.')
}

function refOf(pattern: Pattern): PatternRef | undefined {
  const origin = pattern.origin
  if (!origin) return undefined
  const always = isAlwaysSentOrigin(origin.file)
  return {
    location: always ? '(always sent)' : `${origin.file.split(sep).pop()}:${origin.line}`,
    file: origin.file,
    line: origin.line,
    text: origin.text,
    exception: pattern.exclusion,
  }
}

/** The last plain pattern that matched before the deciding one (what the always-send rule overrode). */
function lastExcluder(patterns: Pattern[], info: boolean[], before: number): PatternRef | undefined {
  for (let i = before - 1; i >= 0; i--) if (info[i] && !patterns[i].exclusion) return refOf(patterns[i])
  return undefined
}

/** ", although … would re-include it" when an exception matches the path itself. */
function laterException(patterns: Pattern[], rel: string): string {
  for (const p of patterns) {
    if (!p.exclusion) continue
    let matches = false
    try {
      matches = p.match(rel)
    } catch {
      matches = false
    }
    if (matches) {
      const ref = refOf(p)
      return ref ? `, although ${ref.location} (${ref.text.trim()}) matches ${rel}` : ''
    }
  }
  return ''
}

/** Patterns are anchored at the root: `*.log` does not reach `site/debug.log`. Say so when that is why. */
function anchoringHint(patterns: Pattern[], rel: string): string {
  if (!rel.includes('/')) return ''
  const name = rel.slice(rel.lastIndexOf('/') + 1)
  for (const p of patterns) {
    if (p.exclusion || p.cleaned.includes('/') || !p.origin) continue
    let matches = false
    try {
      matches = p.match(name)
    } catch {
      matches = false
    }
    if (matches) {
      const ref = refOf(p)
      return ` ${ref?.location} (${p.cleaned}) matches the name but only at the top of the context; \`**/${p.cleaned}\` matches at any depth.`
    }
  }
  return ''
}

function toContextPath(plan: ContextPlan, input: string): string {
  let rel = input
  if (isAbsolute(input)) rel = relative(plan.dir, input)
  rel = goClean(rel.split(sep).join('/'))
  if (rel === '.' || rel === '..' || rel.startsWith('../') || rel.startsWith('/')) {
    throw new UsageError(`--why ${input}: not a path inside the context ${plan.dir}`, {hint: 'Give a path relative to the context directory, e.g. --why src/app.js.'})
  }
  return rel
}

/** lstat each component, stopping at a symlink: dk never looks through a link. */
function inspect(root: string, parts: string[]): {exists: boolean; type?: WhyResult['type']} {
  let abs = root
  for (let i = 0; i < parts.length; i++) {
    abs = join(abs, parts[i])
    let stat
    try {
      stat = lstatSync(abs)
    } catch {
      return {exists: false}
    }
    const last = i === parts.length - 1
    if (stat.isSymbolicLink()) return last ? {exists: true, type: 'symlink'} : {exists: false}
    if (last) return {exists: true, type: stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other'}
    if (!stat.isDirectory()) return {exists: false}
  }
  return {exists: false}
}
