/**
 * `.dk-lint.yaml`: found by walking up from the Dockerfile's directory (the first one wins), or
 * named with `--config`. Keys follow hadolint's where they overlap:
 *
 *   ignored: [DK203, hadolint:DL3008, from-first]
 *   override: {error: [DK201], warning: [], info: [], style: []}
 *   failure-threshold: warning
 *   profile: deis
 *   trusted-registries: [registry.example.com]
 *
 * Any other key, a rule that does not exist or a bad value is a UsageError (exit 2) naming the file
 * and line. The yaml parser is imported only when a config file exists.
 */
import {readFile, stat} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {UsageError, fileError} from '../cli/errors.js'
import {SEVERITY_ORDER, type Severity} from './rule.js'
import {resolveRuleRefsOrThrow, type RuleIndex} from './rule-refs.js'
import type {LintConfig} from './types.js'

export const CONFIG_NAMES = ['.dk-lint.yaml', '.dk-lint.yml']

const KEYS = ['ignored', 'override', 'failure-threshold', 'profile', 'trusted-registries']
const SEVERITIES = Object.keys(SEVERITY_ORDER) as Severity[]

/** The nearest config file at or above `dir`, or undefined. Results are memoised per directory. */
export async function findConfigFile(dir: string, memo = new Map<string, string | null>()): Promise<string | undefined> {
  const visited: string[] = []
  let current = resolve(dir)
  for (;;) {
    const known = memo.get(current)
    if (known !== undefined) {
      visited.forEach((d) => memo.set(d, known))
      return known ?? undefined
    }
    visited.push(current)
    for (const name of CONFIG_NAMES) {
      const candidate = join(current, name)
      const info = await stat(candidate).catch(() => undefined)
      if (info?.isFile()) {
        visited.forEach((d) => memo.set(d, candidate))
        return candidate
      }
    }
    const parent = dirname(current)
    if (parent === current) {
      visited.forEach((d) => memo.set(d, null))
      return undefined
    }
    current = parent
  }
}

export async function loadConfigFile(path: string, index: RuleIndex): Promise<LintConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw fileError(error, path, 'config file')
  }
  return parseConfig(text, path, index)
}

/** Validate and normalise a config's text; `source` names it in errors. */
export async function parseConfig(text: string, source: string, index: RuleIndex): Promise<LintConfig> {
  const {parseDocument, LineCounter, isMap, isScalar, isSeq} = await import('yaml')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false})
  const where = (offset: number | undefined) => {
    if (offset === undefined) return source
    const pos = lineCounter.linePos(offset)
    return `${source}:${pos.line}:${pos.col}`
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    throw new UsageError(`Invalid YAML in ${source}: ${first.message.split('\n')[0]}`, {
      code: 'BAD_CONFIG',
      location: where(first.pos?.[0]),
      hint: 'Fix the YAML syntax; `dk lint --help` shows the config keys.',
    })
  }
  const config: LintConfig = {source}
  if (doc.contents === null || doc.contents === undefined) return config
  if (!isMap(doc.contents))
    throw new UsageError(`${source} must be a mapping of keys (ignored, override, failure-threshold, profile, trusted-registries)`, {
      code: 'BAD_CONFIG',
      location: where(doc.contents.range?.[0]),
      hint: 'Start each setting at the beginning of a line, e.g. `failure-threshold: error`.',
    })

  const bad = (message: string, node: {range?: [number, number, number] | null} | null | undefined, hint: string) =>
    new UsageError(`${message} in ${source}`, {code: 'BAD_CONFIG', location: where(node?.range?.[0]), hint})

  const stringList = (node: unknown, key: string): string[] => {
    if (node === null || node === undefined) return []
    if (isScalar(node) && typeof node.value === 'string') return [node.value]
    if (isSeq(node)) {
      return node.items.map((item) => {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) return String(item.value)
        throw bad(`'${key}' must list strings`, item as never, `Write \`${key}: [A, B]\`.`)
      })
    }
    throw bad(`'${key}' must be a list`, node as never, `Write \`${key}: [A, B]\`.`)
  }
  const ruleIds = (node: unknown, key: string): string[] => {
    const refs = stringList(node, key)
    const items = isSeq(node) ? node.items : [node]
    return refs.flatMap((ref, i) => {
      const item = items[i] as {range?: [number, number, number]} | undefined
      return resolveRuleRefsOrThrow([ref], index, `'${key}' of ${source}`, where(item?.range?.[0]))
    })
  }

  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const value = pair.value
    switch (key) {
      case 'ignored':
        config.ignored = ruleIds(value, key)
        break
      case 'override': {
        if (value === null || value === undefined) break
        if (!isMap(value)) throw bad(`'override' must map severities to rule lists`, value as never, 'Write `override: {error: [DK201]}`.')
        config.override = {}
        for (const inner of value.items) {
          const severity = isScalar(inner.key) ? String(inner.key.value) : String(inner.key)
          if (!SEVERITIES.includes(severity as Severity))
            throw bad(`Unknown severity '${severity}' under 'override'`, inner.key as never, `Use one of ${SEVERITIES.join(', ')}.`)
          config.override[severity as Severity] = ruleIds(inner.value, `override.${severity}`)
        }
        break
      }
      case 'failure-threshold': {
        const v = isScalar(value) ? String(value.value) : ''
        if (!SEVERITIES.includes(v as Severity))
          throw bad(`Invalid failure-threshold '${v}'`, value as never, `Use one of ${SEVERITIES.join(', ')}.`)
        config.failureThreshold = v as Severity
        break
      }
      case 'profile': {
        const v = isScalar(value) ? String(value.value) : ''
        if (v !== 'deis') throw bad(`Unknown profile '${v}'`, value as never, 'The only profile is `deis`.')
        config.profile = 'deis'
        break
      }
      case 'trusted-registries':
        config.trustedRegistries = stringList(value, key)
        break
      default:
        throw bad(`Unknown key '${key}'`, pair.key as never, `Known keys: ${KEYS.join(', ')}.`)
    }
  }
  return config
}
