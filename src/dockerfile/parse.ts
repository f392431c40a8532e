/**
 * Text → dk's DockerfileModel (rule.ts), on top of dk's own syntax tree (syntax.ts). Never throws: what Docker's own
 * parser would refuse (binary data, a bad escape directive, a heredoc that never ends) comes back as
 * `problems`, reported by the engine under DK100 like hadolint's DL1000.
 */

import type {DockerfileModel, RawFinding, Stage} from './rule.js'
import {parseSyntax, type Heredoc, type Instruction} from './syntax.js'

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
    ast = parseSyntax(text)
  } catch (error) {
    problems.push({
      range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}},
      message: `The Dockerfile cannot be parsed: ${(error as Error)?.message ?? String(error)}`,
    })
    return {problems}
  }

  const lines = ast.source.lines()
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
      const from = instruction
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

function heredocsOf(instruction: Instruction): Heredoc[] {
  const keyword = instruction.getKeyword()
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return []
  try {
    return instruction.getHeredocs()
  } catch {
    return []
  }
}
