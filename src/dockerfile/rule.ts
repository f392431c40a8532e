/**
 * The contract between dk's lint engine and its rules. One rule per file in `rules/`; each exports a
 * `Rule`. The engine (lint.ts) parses a file once, builds the `DockerfileModel`, runs every enabled
 * rule's `check`, then applies suppressions (pragmas, config, --ignore) and severity overrides.
 *
 * Positions in findings are 0-based here (LSP-style, as the syntax tree's ranges are); formats turn them
 * into 1-based line/column for users.
 */
import type {Memoized} from './memo.js'
import type {DockerfileSyntax, Instruction} from './syntax.js'

export type Severity = 'error' | 'warning' | 'info' | 'style'

export const SEVERITY_ORDER: Record<Severity, number> = {error: 3, warning: 2, info: 1, style: 0}

export interface Position {
  /** 0-based line. */
  line: number
  /** 0-based column, in UTF-16 code units of that line (as LSP ranges count). */
  character: number
}

export interface Range {
  start: Position
  end: Position
}

/** A replacement of the text between two positions; fixes are lists of these. */
export interface TextEdit {
  range: Range
  newText: string
}

export interface RawFinding {
  /** Where the offending token is: not always column 0. */
  range: Range
  message: string
  /** Edits that fix this finding (only when the rule is `fixable` and the fix is safe here). */
  fix?: TextEdit[]
  /** Override the rule's default severity for this one finding (e.g. the deis profile). */
  severity?: Severity
  /**
   * Report under another id than the rule's own: only for rules that relay an external tool's
   * codes (ShellCheck's `SC2086`). Suppression and `--ignore` match this id.
   */
  ruleId?: string
}

/** A stage: from one FROM to the next. */
export interface Stage extends Memoized {
  /** 0-based stage index. */
  index: number
  /** `AS name`, lower-cased as BuildKit compares them; undefined when unnamed. */
  name?: string
  /** The FROM instruction. */
  from: Instruction
  /** The base image text as written (`ubuntu:wily`, `${BASE}`, `builder`). */
  image: string
  /** Instructions of the stage after its FROM (ONBUILD triggers are inside their ONBUILD). */
  instructions: Instruction[]
  /** Index of an earlier stage that this stage is built FROM, when the image names one. */
  baseStage?: number
}

export interface DockerfileModel extends Memoized {
  /** The parsed file (syntax.ts). */
  ast: DockerfileSyntax
  /** The exact text, BOM removed, line endings kept. */
  text: string
  /** The text split into lines (without their line endings). */
  lines: string[]
  /** Instructions before the first FROM (ARGs, or mistakes). */
  preamble: Instruction[]
  stages: Stage[]
  /** The last stage: what `docker build` produces without --target. */
  finalStage?: Stage
  /** The escape character from the directive (`\` or `` ` ``). */
  escape: string
}

export interface LintOptions {
  /** `deis`: Deis v1 rules become errors. */
  profile?: 'deis'
  /** Registries FROM may use; empty/undefined disables that rule. */
  trustedRegistries?: string[]
}

export interface RuleContext {
  file: string
  model: DockerfileModel
  options: LintOptions
  /** What the rule's `prepare` returned for this file (undefined when it has none). */
  prepared?: unknown
  report(finding: RawFinding): void
}

export interface RuleDocs {
  /** Why this matters, in a few plain sentences (the teaching voice of the workshop). */
  why: string
  /** A Dockerfile snippet that triggers the rule. */
  bad: string
  /** The corrected snippet. */
  good: string
}

export interface Rule {
  /** dk's stable id, e.g. "DK101". */
  id: string
  /** A kebab-case name, e.g. "exec-form-split-words"; `--ignore` accepts id or name. */
  name: string
  /** One line for --list-rules and SARIF shortDescription. */
  summary: string
  severity: Severity
  /** Equivalent ids in other tools: "hadolint:DL3006", "buildkit:MaintainerDeprecated", "dockerfile-utils:DEPRECATED_MAINTAINER". */
  aliases: string[]
  /** The rule can attach fixes. */
  fixable: boolean
  /** Only run when enabled by a profile or config (e.g. trusted registries). */
  optIn?: boolean
  docs: RuleDocs
  /**
   * Optional async work done once per file before `check` (e.g. run ShellCheck on all RUN scripts
   * of the file in one process). Its result reaches `check` as `context.prepared`. The synchronous
   * API (`lintTextSync`) skips rules that have a `prepare`.
   */
  prepare?(model: DockerfileModel, options: LintOptions): Promise<unknown>
  check(context: RuleContext): void
}
