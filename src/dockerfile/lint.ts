/**
 * dk's lint API. `dk lint`, `dk build`, `dk exercise` and `dk twelve-factor` all call these:
 *
 *   lintText(text, {file, profile, config, ignore})  → Promise<LintResult>  (all rules, ShellCheck too)
 *   lintTextSync(text, options)                      → LintResult           (rules without `prepare`)
 *   lintPaths(paths, {configFile, ignore, profile})  → Promise<LintPathsResult>
 *
 * One pass per file: parse once (a parse problem → DK100 findings only, like hadolint's DL1000),
 * run every enabled rule, then drop what pragmas, the config and `--ignore` suppress, and apply
 * severity overrides. Rule failures never escape: a rule that throws becomes an error finding that
 * names it, so one bug cannot hide the other findings or crash a multi-file run.
 */
import {readFile, stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {NotFoundError, UsageError, fileError} from '../cli/errors.js'
import {findConfigFile, loadConfigFile} from './config.js'
import {discoverDockerfiles} from './discover.js'
import {parseDockerfile} from './parse.js'
import {collectSuppressions, instructionStartFor} from './pragmas.js'
import {SEVERITY_ORDER, type DockerfileModel, type LintOptions, type RawFinding, type Rule, type RuleContext, type Severity} from './rule.js'
import {indexRules, resolveRuleRefsOrThrow, type RuleIndex} from './rule-refs.js'
import {allRules} from './rules/index.js'
import type {LintConfig, LintFindingWithFix, LintPathsOptions, LintPathsResult, LintResult, LintTextOptions} from './types.js'

export type * from './types.js'

/** The id under which parse problems are reported (a rule of its own for --explain and docs). */
export const PARSE_ERROR_RULE = 'DK100'

export function ruleIndex(rules: Rule[] = allRules): RuleIndex {
  return indexRules(rules)
}

export async function lintText(text: string, options: LintTextOptions = {}): Promise<LintResult> {
  return runLint(text, options, true)
}

/** Synchronous lint for callers that cannot await; rules with an async `prepare` (ShellCheck) are skipped. */
export function lintTextSync(text: string, options: LintTextOptions = {}): LintResult {
  const result = runLint(text, options, false)
  return result as LintResult
}

function runLint(text: string, options: LintTextOptions, withPrepare: true): Promise<LintResult>
function runLint(text: string, options: LintTextOptions, withPrepare: false): LintResult
function runLint(text: string, options: LintTextOptions, withPrepare: boolean): LintResult | Promise<LintResult> {
  const file = options.file ?? 'Dockerfile'
  const index = ruleIndex(options.rules)
  const settings = effectiveSettings(options, index)
  const parsed = parseDockerfile(text)
  if (!parsed.model || parsed.problems.length > 0) {
    const cleanText = text.startsWith('\uFEFF') ? text.slice(1) : text
    const parseRule = index.byId.get(PARSE_ERROR_RULE)
    const findings = parsed.problems.map((raw) => toFinding(raw, file, PARSE_ERROR_RULE, 'error', parseRule?.aliases ?? ['hadolint:DL1000'], false))
    const result: LintResult = {file, findings: sortFindings(findings), parseError: true, text: cleanText}
    return withPrepare ? Promise.resolve(result) : result
  }
  const model = parsed.model
  const rules = settings.rules
  if (!withPrepare) return checkAll(model, file, settings.syncRules, settings, index, NOTHING_PREPARED)
  return (async () => {
    const prepared = new Map<string, unknown>()
    await Promise.all(
      rules
        .filter((r) => r.prepare)
        .map(async (rule) => {
          try {
            prepared.set(rule.id, await rule.prepare!(model, settings.lintOptions))
          } catch (error) {
            prepared.set(rule.id, error)
          }
        }),
    )
    return checkAll(model, file, rules, settings, index, prepared)
  })()
}

interface Settings {
  ignored: Set<string>
  override: Map<string, Severity>
  lintOptions: LintOptions
  /** The enabled rules, and those of them without a `prepare` (for lintTextSync). */
  rules: Rule[]
  syncRules: Rule[]
}

const NOTHING_PREPARED = new Map<string, unknown>()
/** Settings without config, --ignore or profile, per rule set: the common case, computed once. */
const defaultSettings = new WeakMap<RuleIndex, Settings>()

function effectiveSettings(options: LintTextOptions, index: RuleIndex): Settings {
  const plain = options.config === undefined && (options.ignore?.length ?? 0) === 0 && options.profile === undefined
  const cached = plain ? defaultSettings.get(index) : undefined
  if (cached) return cached
  const settings = computeSettings(options, index)
  if (plain) defaultSettings.set(index, settings)
  return settings
}

function computeSettings(options: LintTextOptions, index: RuleIndex): Settings {
  const config: LintConfig = options.config ?? {}
  const ignored = new Set<string>(config.ignored ?? [])
  for (const id of resolveRuleRefsOrThrow(options.ignore ?? [], index, '--ignore')) ignored.add(id)
  const override = new Map<string, Severity>()
  for (const severity of Object.keys(SEVERITY_ORDER) as Severity[]) for (const id of config.override?.[severity] ?? []) override.set(id, severity)
  const profile = options.profile ?? config.profile
  const settings: Settings = {ignored, override, lintOptions: {profile, trustedRegistries: config.trustedRegistries}, rules: [], syncRules: []}
  settings.rules = index.rules.filter((rule) => isEnabled(rule, settings))
  settings.syncRules = settings.rules.filter((rule) => !rule.prepare)
  return settings
}

/**
 * Opt-in rules run when something asks for them: a profile, trusted registries, or a severity
 * override naming them. Everything else runs unless ignored for the whole file.
 */
function isEnabled(rule: Rule, settings: Settings): boolean {
  if (settings.ignored.has(rule.id)) return false
  if (!rule.optIn) return true
  return settings.override.has(rule.id) || settings.lintOptions.profile !== undefined || (settings.lintOptions.trustedRegistries?.length ?? 0) > 0
}

function checkAll(
  model: DockerfileModel,
  file: string,
  rules: Rule[],
  settings: Settings,
  index: RuleIndex,
  prepared: Map<string, unknown>,
): LintResult {
  const suppressions = collectSuppressions(model, index, file)
  const instructions = model.ast.getInstructions()
  const findings: LintFindingWithFix[] = []
  // One context for all rules (per-rule objects were measurable at 45 rules a file); a new findings
  // buffer only after a rule reported something (most report nothing).
  let raws: RawFinding[] = []
  const context: RuleContext = {file, model, options: settings.lintOptions, prepared: undefined, report: (f) => void raws.push(f)}
  const anyPrepared = prepared.size > 0
  const anySuppressed = suppressions.global.size > 0
  const anyLocal = suppressions.byInstructionLine.size > 0
  for (const rule of rules) {
    if (anySuppressed && suppressions.global.has(rule.id)) continue
    if (raws.length > 0) raws = []
    context.prepared = anyPrepared ? prepared.get(rule.id) : undefined
    try {
      rule.check(context)
    } catch (error) {
      raws.push({
        range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}},
        message: `Internal error in rule ${rule.id} (${rule.name}): ${(error as Error)?.message ?? String(error)}; please report it`,
        severity: 'error',
      })
    }
    for (const raw of raws) {
      const id = raw.ruleId ?? rule.id
      if (id !== rule.id && (settings.ignored.has(id) || suppressions.global.has(id))) continue
      const start = anyLocal ? instructionStartFor(instructions, raw.range.start.line) : undefined
      const local = start === undefined ? undefined : suppressions.byInstructionLine.get(start)
      if (local && (local.has(id) || local.has(rule.id))) continue
      const severity = settings.override.get(id) ?? settings.override.get(rule.id) ?? raw.severity ?? rule.severity
      findings.push(toFinding(raw, file, id, severity, id === rule.id ? rule.aliases : [], rule.fixable))
    }
  }
  return {file, findings: sortFindings(findings), parseError: false, text: model.text}
}

function toFinding(raw: RawFinding, file: string, rule: string, severity: Severity, aliases: string[], fixable: boolean): LintFindingWithFix {
  const hasFix = fixable && (raw.fix?.length ?? 0) > 0
  const finding: LintFindingWithFix = {
    file,
    line: raw.range.start.line + 1,
    column: raw.range.start.character + 1,
    endLine: raw.range.end.line + 1,
    endColumn: raw.range.end.character + 1,
    rule,
    severity,
    message: raw.message,
    aliases: aliases.slice(),
    fixable: hasFix,
  }
  if (hasFix) finding.edits = raw.fix
  return finding
}

export function sortFindings<T extends {line: number; column: number; rule: string}>(findings: T[]): T[] {
  // A file has a handful of findings: a stable insertion sort in place gives the order sort() gives
  // (it is stable too) without the work array sort() allocates for every file.
  if (findings.length > 32) return findings.sort(compareFindings)
  for (let i = 1; i < findings.length; i++) {
    const finding = findings[i]
    let j = i - 1
    while (j >= 0 && compareFindings(findings[j], finding) > 0) {
      findings[j + 1] = findings[j]
      j--
    }
    findings[j + 1] = finding
  }
  return findings
}

function compareFindings(a: {line: number; column: number; rule: string}, b: {line: number; column: number; rule: string}): number {
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
}

/** True when a finding is at or above the threshold (hadolint's order: error > warning > info > style). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[threshold]
}

/** Did this run fail? Parse errors always fail; otherwise any finding at or above the threshold. */
export function lintFailed(results: LintResult[], threshold: Severity): boolean {
  return results.some((r) => r.parseError || r.findings.some((f) => atOrAbove(f.severity, threshold)))
}

/** Drop fix edits: the public JSON shape. */
export function publicFinding(f: LintFindingWithFix): Omit<LintFindingWithFix, 'edits'> {
  const {edits: _edits, ...rest} = f
  return rest
}

const STDIN = '-'
/** Far above any real Dockerfile; bigger files are reported, not read. */
export const MAX_DOCKERFILE_BYTES = 16 * 1024 * 1024

function tooLarge(file: string, size: number, path: string): LintResult {
  const finding: LintFindingWithFix = {
    file, line: 1, column: 1, endLine: 1, endColumn: 1, rule: PARSE_ERROR_RULE, severity: 'error',
    message: `The file is ${(size / 1024 / 1024).toFixed(1)} MiB: too large to be a Dockerfile (limit ${MAX_DOCKERFILE_BYTES / 1024 / 1024} MiB), not read`,
    aliases: ['hadolint:DL1000'], fixable: false,
  }
  return {file, findings: [finding], parseError: true, text: '', path}
}
/** Files linted together (read, then linted with their async steps in one tick). */
const BATCH = 256

/**
 * Lint files and directories. Every path is checked before any lint work: a missing one is a
 * NotFoundError (exit 4). `-` reads standard input (named `<stdin>` in findings).
 */
export async function lintPaths(paths: string[], options: LintPathsOptions = {}): Promise<LintPathsResult> {
  const cwd = options.cwd ?? process.cwd()
  const index = ruleIndex()
  // Validate --ignore once, up front, so a typo is a usage error before any file is read.
  resolveRuleRefsOrThrow(options.ignore ?? [], index, '--ignore')
  const explicitConfig = options.configFile ? await loadConfigFile(resolve(cwd, options.configFile), index) : undefined

  const targets: {name: string; absolute?: string}[] = []
  for (const path of paths.length > 0 ? paths : ['Dockerfile']) {
    if (path === STDIN) {
      targets.push({name: '<stdin>'})
      continue
    }
    const absolute = resolve(cwd, path)
    let info
    try {
      info = await stat(absolute)
    } catch (error) {
      const e = fileError(error, path, 'Dockerfile')
      throw e instanceof NotFoundError && paths.length === 0
        ? new NotFoundError(`No Dockerfile in ${cwd}`, {hint: 'Name a file or directory: `dk lint path/to/Dockerfile` or `dk lint .`.'})
        : e
    }
    if (info.isDirectory()) {
      const found = await discoverDockerfiles(absolute)
      if (found.length === 0)
        throw new NotFoundError(`No Dockerfile found under ${path}`, {
          hint: 'dk looks for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile and Containerfile (node_modules and .git are skipped).',
        })
      for (const f of found) targets.push({name: displayName(path, absolute, f), absolute: f})
    } else targets.push({name: path, absolute})
  }

  const memo = new Map<string, string | null>()
  const loaded = new Map<string, Promise<LintConfig>>()
  const configFor = async (file?: string): Promise<LintConfig | undefined> => {
    if (explicitConfig) return explicitConfig
    const configPath = await findConfigFile(file ? dirname(file) : cwd, memo)
    if (!configPath) return undefined
    if (!loaded.has(configPath)) loaded.set(configPath, loadConfigFile(configPath, index))
    return loaded.get(configPath)
  }

  // Files are read first, then linted together: the synchronous part (parse, rules) runs file by
  // file, and the async `prepare` steps of all files start in the same tick, which lets ShellCheck
  // check every file of a batch in one process instead of one process per file.
  const results: LintResult[] = []
  const configs: LintConfig[] = []
  for (let start = 0; start < targets.length; start += BATCH) {
    const batch = targets.slice(start, start + BATCH)
    const inputs: {target: (typeof targets)[number]; text: string; config?: LintConfig; result?: LintResult}[] = []
    for (const target of batch) {
      let text: string
      if (target.absolute === undefined) text = options.stdinText ?? (await readStdin())
      else {
        try {
          // A multi-megabyte "Dockerfile.tar.gz" found by name is not read into memory.
          const size = (await stat(target.absolute)).size
          if (size > MAX_DOCKERFILE_BYTES) {
            inputs.push({target, text: '', result: tooLarge(target.name, size, target.absolute)})
            continue
          }
          text = await readFile(target.absolute, 'utf8')
        } catch (error) {
          throw fileError(error, target.name, 'Dockerfile')
        }
      }
      const config = await configFor(target.absolute)
      if (config && !configs.includes(config)) configs.push(config)
      inputs.push({target, text, config})
    }
    const linted = await Promise.all(
      inputs.map(({target, text, config, result}) => result ?? lintText(text, {file: target.name, profile: options.profile, ignore: options.ignore, config})),
    )
    linted.forEach((result, i) => results.push({...result, path: inputs[i].target.absolute, config: inputs[i].config}))
  }
  return {results, configs}
}

function displayName(given: string, givenAbsolute: string, found: string): string {
  const rel = found.slice(givenAbsolute.length).replace(/^[\\/]/, '')
  if (given === '.' || given === './') return rel
  return `${given.replace(/[\\/]+$/, '')}/${rel}`
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('`dk lint -` reads a Dockerfile from standard input, but stdin is a terminal', {hint: 'Pipe a file in: `dk lint - < Dockerfile`.'})
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
