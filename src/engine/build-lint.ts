/**
 * `dk build` lints the Dockerfile before sending anything: findings are shown, errors stop the build
 * unless lint is off. This is the one place where the build meets the linter (src/dockerfile/lint.ts).
 * A Dockerfile on disk goes through `lintPaths`, so the project's `.dk-lint.yaml` (ignored rules,
 * severity overrides) applies exactly as with `dk lint`; text (stdin, generated) goes through `lintText`.
 */
import {relative} from 'node:path'

import type {LintFinding} from '../dockerfile/types.js'

export interface BuildLint {
  findings: LintFinding[]
  errors: LintFinding[]
}

/** Lint a Dockerfile: `path` when it is a file, else `text` named `file` in findings. */
export async function lintForBuild(source: {path?: string; text: string; file: string}): Promise<BuildLint> {
  const {lintPaths, lintText, publicFinding} = await import('../dockerfile/lint.js')
  // Relative to the working directory, so findings name the file as the user typed it.
  const results = source.path ? (await lintPaths([relative(process.cwd(), source.path) || source.path])).results : [await lintText(source.text, {file: source.file})]
  const findings = results.flatMap((r) => r.findings.map(publicFinding))
  return {findings, errors: findings.filter((f) => f.severity === 'error')}
}

/** "Dockerfile:3:1 error DK101 message" — one finding on one line. */
export function findingLine(f: LintFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`
}
