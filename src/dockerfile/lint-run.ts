/**
 * What `dk lint` does once its flags are parsed: lint the paths, optionally fix them, decide the
 * exit status. The command renders the report; other front-ends can call this too.
 */
import {UsageError} from '../cli/errors.js'
import {fixText, unifiedDiff, writeFileAtomic} from './fix.js'
import {atOrAbove, lintFailed, lintPaths, publicFinding} from './lint.js'
import type {Severity} from './rule.js'
import type {LintFinding, LintResult} from './types.js'

export interface LintRunOptions {
  paths: string[]
  ignore?: string[]
  configFile?: string
  profile?: 'deis'
  /** From the flag; otherwise the config's `failure-threshold`; otherwise warning. */
  failureThreshold?: Severity
  noFail?: boolean
  fix?: boolean
  fixDryRun?: boolean
  cwd?: string
  stdinText?: string
}

export interface FixReport {
  file: string
  /** Findings fixed. */
  fixed: number
  /** Unified diff (dry run only; empty when nothing would change). */
  diff?: string
}

export interface LintRunReport {
  results: LintResult[]
  threshold: Severity
  /** Findings at or above the threshold, or a parse error (before --no-fail). */
  failed: boolean
  /** The exit code dk lint should use. */
  exitCode: 0 | 1
  summary: Record<Severity, number> & {files: number; fixable: number; parseErrors: number}
  fixes: FixReport[]
}

export const DEFAULT_THRESHOLD: Severity = 'warning'

export async function runLint(options: LintRunOptions): Promise<LintRunReport> {
  if (options.fix && options.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be combined', {hint: 'Use --fix-dry-run to see the diff, then --fix to write it.'})
  if ((options.fix || options.fixDryRun) && options.paths.includes('-'))
    throw new UsageError('--fix cannot rewrite standard input', {hint: 'Name the file: `dk lint --fix Dockerfile`.'})

  const {results: linted, configs} = await lintPaths(options.paths, {
    ignore: options.ignore,
    configFile: options.configFile,
    profile: options.profile,
    cwd: options.cwd,
    stdinText: options.stdinText,
  })
  let results = linted
  const fixes: FixReport[] = []
  if (options.fix || options.fixDryRun) {
    results = []
    for (const result of linted) {
      if (!result.path || result.parseError || !result.findings.some((f) => f.fixable)) {
        results.push(result)
        continue
      }
      const {readFile} = await import('node:fs/promises')
      const original = await readFile(result.path, 'utf8')
      const fixed = await fixText(original, {file: result.file, profile: options.profile, ignore: options.ignore, config: result.config})
      if (options.fixDryRun) {
        fixes.push({file: result.file, fixed: fixed.applied, diff: fixed.changed ? await unifiedDiff(result.file, original, fixed.text) : ''})
        results.push(result)
      } else {
        if (fixed.changed) await writeFileAtomic(result.path, fixed.text)
        fixes.push({file: result.file, fixed: fixed.applied})
        results.push({...fixed.result, path: result.path, config: result.config})
      }
    }
  }

  const threshold = options.failureThreshold ?? configs.find((c) => c.failureThreshold)?.failureThreshold ?? DEFAULT_THRESHOLD
  const failed = lintFailed(results, threshold)
  const summary = {error: 0, warning: 0, info: 0, style: 0, files: results.length, fixable: 0, parseErrors: 0}
  for (const result of results) {
    if (result.parseError) summary.parseErrors++
    for (const f of result.findings) {
      summary[f.severity]++
      if (f.fixable) summary.fixable++
    }
  }
  return {results, threshold, failed, exitCode: failed && !options.noFail ? 1 : 0, summary, fixes}
}

/** The `data` of `dk lint --json`. */
export interface LintJson {
  threshold: Severity
  failed: boolean
  summary: LintRunReport['summary']
  findings: LintFinding[]
  fixes: FixReport[]
}

export function lintJson(report: LintRunReport): LintJson {
  return {
    threshold: report.threshold,
    failed: report.failed,
    summary: report.summary,
    findings: report.results.flatMap((r) => r.findings.map(publicFinding)),
    fixes: report.fixes,
  }
}

export {atOrAbove}
