/**
 * The public shapes of dk's lint API (`lint.ts`), used by `dk lint`, `dk build`, `dk exercise` and
 * `dk twelve-factor`. Positions here are 1-based, as users read them; rules work 0-based (rule.ts).
 */
import type {Rule, Severity, TextEdit} from './rule.js'

export type {Severity} from './rule.js'

/** One finding, exactly the element shape of `dk lint --format json`. */
export interface LintFinding {
  file: string
  /** 1-based line of the offending token. */
  line: number
  /** 1-based column (UTF-16 units) of the offending token. */
  column: number
  endLine: number
  endColumn: number
  /** dk id (`DK101`), or a relayed id (`SC2086`). */
  rule: string
  severity: Severity
  message: string
  /** Equivalent ids in other tools, e.g. `hadolint:DL3006`; empty when none. */
  aliases: string[]
  /** `dk lint --fix` can fix this finding. */
  fixable: boolean
}

/** A finding plus what the fix engine needs; `lintText` returns these, JSON drops `edits`. */
export interface LintFindingWithFix extends LintFinding {
  /** 0-based edits (only on fixable findings). */
  edits?: TextEdit[]
}

export interface LintResult {
  file: string
  findings: LintFindingWithFix[]
  /** The file could not be parsed as a Dockerfile (a DK100 finding says where). */
  parseError: boolean
  /** The text that was linted (BOM removed), so callers can show source lines or fix it. */
  text: string
  /** Absolute path on disk (lintPaths; undefined for stdin and lintText). */
  path?: string
  /** The config that applied to this file (lintPaths), so --fix re-lints it the same way. */
  config?: LintConfig
}

/** `.dk-lint.yaml`, validated and normalised. */
export interface LintConfig {
  /** Where it came from (for messages); undefined for a config built in code. */
  source?: string
  /** Rule ids (canonical dk or relayed ids) never reported. */
  ignored?: string[]
  /** Severity per rule id. */
  override?: Partial<Record<Severity, string[]>>
  failureThreshold?: Severity
  profile?: 'deis'
  trustedRegistries?: string[]
}

export interface LintTextOptions {
  /** Name shown in findings; `-` or `<stdin>` for standard input. Default `Dockerfile`. */
  file?: string
  profile?: 'deis'
  /** An already loaded config; `lintPaths` finds one per file when this is not given. */
  config?: LintConfig
  /** Rule ids, names or aliases to ignore (like `--ignore`); unknown ones throw a UsageError. */
  ignore?: string[]
  /** The rule set (default: every rule of rules/index.ts); for tests and embedding. */
  rules?: Rule[]
}

export interface LintPathsOptions extends Omit<LintTextOptions, 'file' | 'config'> {
  /** An explicit config file (`--config`); otherwise `.dk-lint.yaml` is searched upward per file. */
  configFile?: string
  /** Text for `-` (tests); default: read process.stdin. */
  stdinText?: string
  /** Working directory for relative paths and for naming files in findings. */
  cwd?: string
}

export interface LintPathsResult {
  results: LintResult[]
  /** The config of the first file, if any: callers use its failure-threshold. */
  configs: LintConfig[]
}
