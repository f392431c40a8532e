/**
 * The five output formats of `dk lint --format`. Each takes every file's result at once (SARIF and
 * checkstyle wrap all files in one document) and returns the complete text to print.
 */
import type {Rule} from '../rule.js'
import type {LintResult} from '../types.js'
import {formatCheckstyle} from './checkstyle.js'
import {formatGithub} from './github.js'
import {formatJson} from './json.js'
import {formatSarif} from './sarif.js'
import {formatStylish} from './stylish.js'

export const FORMATS = ['stylish', 'json', 'sarif', 'checkstyle', 'github'] as const
export type FormatName = (typeof FORMATS)[number]

export interface FormatContext {
  rules: Rule[]
  /** dk's version, for SARIF's tool.driver. */
  version: string
}

export function formatResults(format: FormatName, results: LintResult[], context: FormatContext): string {
  switch (format) {
    case 'json':
      return formatJson(results)
    case 'sarif':
      return formatSarif(results, context)
    case 'checkstyle':
      return formatCheckstyle(results)
    case 'github':
      return formatGithub(results)
    default:
      return formatStylish(results)
  }
}
