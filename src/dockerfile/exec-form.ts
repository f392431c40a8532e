/**
 * Exec-form (JSON array) arguments with their exact values and source ranges.
 *
 * dockerfile-ast strips whitespace inside JSON strings (`"install -y memcached"` comes back as
 * `install-ymemcached`), so the values here are sliced from the source by the (correct) ranges
 * and decoded with JSON.parse. Docker treats an argument list as exec form only when the whole
 * text is a JSON array of strings; anything else is shell form, and so is `undefined` here.
 */
import type {Instruction, JSONArgument} from 'dockerfile-ast'

import type {DockerfileModel, Range} from './rule.js'
import {argumentsText, sliceSource} from './source-text.js'

export interface ExecElement {
  /** The decoded string: exactly one argv word for Docker. */
  value: string
  /** The element as written, quotes included. */
  raw: string
  /** Range of the element in the file, quotes included. */
  range: Range
}

interface WithJSONStrings extends Instruction {
  getJSONStrings(): JSONArgument[]
}

function hasJSONStrings(instruction: Instruction): instruction is WithJSONStrings {
  return typeof (instruction as Partial<WithJSONStrings>).getJSONStrings === 'function'
}

/** The argv of an exec-form RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD, or undefined for shell form. */
export function execForm(model: DockerfileModel, instruction: Instruction): ExecElement[] | undefined {
  if (execCache.has(instruction)) return execCache.get(instruction)
  const elements = computeExecForm(model, instruction)
  execCache.set(instruction, elements)
  return elements
}

const execCache = new WeakMap<Instruction, ExecElement[] | undefined>()

function computeExecForm(model: DockerfileModel, instruction: Instruction): ExecElement[] | undefined {
  const args = argumentsText(model, instruction)
  if (!args) return undefined
  const text = args.text.trim()
  if (!text.startsWith('[')) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) return undefined
  if (!hasJSONStrings(instruction)) return undefined
  const strings = instruction.getJSONStrings()
  if (strings.length !== parsed.length) return undefined
  const elements: ExecElement[] = []
  for (const [i, s] of strings.entries()) {
    const range = s.getRange()
    const raw = sliceSource(model, range.start, range.end)
    let value: string
    try {
      value = JSON.parse(raw) as string
    } catch {
      // An element split over a continuation line: the array as a whole is the truth.
      value = parsed[i] as string
    }
    elements.push({value, raw, range})
  }
  return elements
}

/** Whether the instruction's arguments are in exec form. */
export function isExecForm(model: DockerfileModel, instruction: Instruction): boolean {
  return execForm(model, instruction) !== undefined
}

/** Render argv as an exec-form JSON array the way people write it: `["a", "b"]`. */
export function formatExecForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`
}
