/**
 * Text → dk's DockerfileModel (rule.ts), on top of dockerfile-ast. Never throws: what Docker's own
 * parser would refuse (binary data, a bad escape directive, a heredoc that never ends) comes back as
 * `problems`, reported by the engine under DK100 like hadolint's DL1000.
 */
import {DockerfileParser, type From, type Heredoc, type Instruction} from 'dockerfile-ast'

import type {DockerfileModel, RawFinding, Stage} from './rule.js'

export interface ParseOutcome {
  model?: DockerfileModel
  /** Reasons the file is not a Dockerfile Docker would parse; non-empty = parse error. */
  problems: RawFinding[]
}

const BOM = '\uFEFF'

/** Split on \n, \r\n and lone \r, as Docker's scanner and LSP positions do. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/)
}

export function parseDockerfile(input: string): ParseOutcome {
  const text = input.startsWith(BOM) ? input.slice(BOM.length) : input
  const lines = splitLines(text)
  const problems: RawFinding[] = []

  // A NUL byte means this is not a text file (an image tarball, a binary passed by mistake).
  const nul = text.indexOf('\u0000')
  if (nul !== -1) {
    const before = splitLines(text.slice(0, nul))
    const line = before.length - 1
    const character = before[line].length
    problems.push({
      range: {start: {line, character}, end: {line, character: character + 1}},
      message: 'The file contains binary data (a NUL byte): this is not a Dockerfile',
    })
    return {problems}
  }

  let ast
  try {
    ast = DockerfileParser.parse(text)
  } catch (error) {
    problems.push({
      range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}},
      message: `The Dockerfile cannot be parsed: ${(error as Error)?.message ?? String(error)}`,
    })
    return {problems}
  }

  let escape = '\\'
  for (const directive of ast.getDirectives()) {
    if (directive.getName().toLowerCase() !== 'escape') continue
    const value = directive.getValue()
    if (value === '`' || value === '\\') escape = value
    else
      problems.push({
        range: directive.getValueRange(),
        message: `Invalid escape directive value '${value}': it must be \` or \\ (Docker refuses to build)`,
      })
  }

  const instructions = ast.getInstructions()
  for (const instruction of instructions) memoizeInstruction(instruction)
  for (const instruction of instructions) {
    for (const heredoc of heredocsOf(instruction)) {
      if (heredoc.getDelimiterRange() === null) {
        problems.push({
          range: heredoc.getNameRange(),
          message: `Heredoc <<${heredoc.getName()} is never terminated: add a line with ${heredoc.getName()} alone after its content`,
        })
      }
    }
  }

  const preamble: Instruction[] = []
  const stages: Stage[] = []
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword()
    if (keyword === 'FROM') {
      const from = instruction as From
      const image = from.getImage() ?? ''
      const name = from.getBuildStage()?.toLowerCase() || undefined
      const imageLower = image.toLowerCase()
      const base = stages.findIndex((s) => s.name !== undefined && s.name === imageLower)
      stages.push({index: stages.length, name, from, image, instructions: [], baseStage: base === -1 ? undefined : base})
    } else if (stages.length === 0) preamble.push(instruction)
    else stages.at(-1)!.instructions.push(instruction)
  }

  return {
    model: {ast, text, lines, preamble, stages, finalStage: stages.at(-1), escape},
    problems,
  }
}

type WithHeredocs = {getHeredocs?: () => Heredoc[]}

/**
 * Methods of dockerfile-ast instructions that re-tokenise or re-slice the source on every call (the
 * string ones are asked for by nearly every rule: getKeyword alone was 4 % of lint time).
 */
const MEMOIZED = [
  'getRawArguments', 'getArguments', 'getHeredocs', 'getVariables', 'getTriggerInstruction',
  'getKeyword', 'getInstruction', 'getTextContent', 'getRawArgumentsContent', 'getArgumentsContent',
] as const

/**
 * dockerfile-ast recomputes an instruction's arguments (and everything built on them: flags,
 * heredocs, variables, ONBUILD triggers) on every call, and forty rules ask for them: caching them
 * per instruction makes linting about twice as fast. The model is read-only, so the cache is safe;
 * arrays are copied on the way out in case a caller sorts or splices them.
 */
function memoizeInstruction(instruction: Instruction): void {
  const target = instruction as unknown as Record<string, unknown>
  for (const name of MEMOIZED) {
    const original = target[name]
    if (typeof original !== 'function') continue
    let cached: unknown
    let done = false
    target[name] = () => {
      if (!done) {
        cached = (original as () => unknown).call(instruction)
        done = true
        if (name === 'getTriggerInstruction' && cached) memoizeInstruction(cached as Instruction)
      }
      return Array.isArray(cached) ? [...cached] : cached
    }
  }
}

function heredocsOf(instruction: Instruction): Heredoc[] {
  const keyword = instruction.getKeyword()
  // Only RUN and COPY/ADD carry heredocs in dockerfile-ast; calling the protected base on others is pointless.
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return []
  try {
    return (instruction as unknown as WithHeredocs).getHeredocs?.() ?? []
  } catch {
    return []
  }
}
