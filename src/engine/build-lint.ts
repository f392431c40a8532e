/**
 * `dk build` lints the Dockerfile before sending anything: findings are shown, errors stop the build
 * unless lint is off. This adapter is the one place where the build meets the linter
 * (src/dockerfile/lint.ts), so the build code does not depend on the linter's loading details.
 */
import type {LintFinding, LintResult} from '../dockerfile/types.js'

export interface BuildLint {
  findings: LintFinding[]
  errors: LintFinding[]
  /** False when the linter is not available in this build of dk (findings are then empty). */
  ran: boolean
}

/** Lint the Dockerfile's text; `file` names it in findings ("Dockerfile", "-" for stdin). */
export async function lintForBuild(text: string, file: string): Promise<BuildLint> {
  // A variable specifier keeps the compiler from requiring the module while the linter lands in
  // parallel; once it exists this is an ordinary lazy import.
  const specifier = '../dockerfile/lint.js'
  let lint: {lintText: (text: string, options: {file?: string}) => LintResult | Promise<LintResult>}
  try {
    lint = await import(specifier)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return {findings: [], errors: [], ran: false}
    throw error
  }
  const result = await lint.lintText(text, {file})
  const findings = result.findings.map(({edits: _edits, ...finding}: LintFinding & {edits?: unknown}) => finding)
  return {findings, errors: findings.filter((f) => f.severity === 'error'), ran: true}
}

/** "Dockerfile:3:1 error DK101 message" — one finding on one line. */
export function findingLine(f: LintFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`
}
