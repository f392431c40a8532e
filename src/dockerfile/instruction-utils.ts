/**
 * Small helpers over syntax-tree instructions, shared by rules (any rule may use them).
 */
import type {Flag, Instruction} from './syntax.js'

import {memoKey, NOT_YET, recall, remember} from './memo.js'
import type {DockerfileModel, Range} from './rule.js'

export const KNOWN_INSTRUCTIONS = [
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]

const KNOWN = new Set(KNOWN_INSTRUCTIONS)

/** Whether an (upper-case) keyword is a Dockerfile instruction; three rules ask for every instruction. */
export function isKnownInstruction(keyword: string): boolean {
  return KNOWN.has(keyword)
}

/** The instructions whose leading `--x` words are flags. */
const WITH_FLAGS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK'])

export function flagsOf(instruction: Instruction): Flag[] {
  if (!WITH_FLAGS.has(instruction.getKeyword())) return []
  return instruction.getFlags()
}

/** 0-based lines that are heredoc bodies or terminators (script, not Dockerfile syntax). */
export function heredocBodyLines(model: DockerfileModel): Set<number> {
  const lines = new Set<number>()
  for (const instruction of model.ast.getInstructions()) {
    for (const heredoc of instruction.getHeredocs()) {
      const first = heredoc.getNameRange().start.line + 1
      const last = heredoc.getDelimiterRange()?.end.line ?? instruction.getRange().end.line
      for (let l = first; l <= last; l++) lines.add(l)
    }
  }
  return lines
}

/** Every instruction, with ONBUILD triggers after their ONBUILD (one list per model: do not modify it). */
export function allInstructions(model: DockerfileModel): Instruction[] {
  // Ten rules walk every instruction; the list is built once per file.
  const known = recall<Instruction[]>(model, ALL_INSTRUCTIONS)
  if (known !== NOT_YET) return known
  const result: Instruction[] = []
  for (const instruction of model.ast.getInstructions()) {
    result.push(instruction)
    const trigger = triggerOf(instruction)
    if (trigger) result.push(trigger)
  }
  return remember(model, ALL_INSTRUCTIONS, result)
}

const ALL_INSTRUCTIONS = memoKey('model', 'allInstructions')

export function triggerOf(instruction: Instruction): Instruction | undefined {
  if (instruction.getKeyword() !== 'ONBUILD') return undefined
  return instruction.getTriggerInstruction() ?? undefined
}

/** Text of the source between two positions (positions are 0-based line/character). */
export function sliceText(model: DockerfileModel, range: Range): string {
  const {start, end} = range
  if (start.line === end.line) return (model.lines[start.line] ?? '').slice(start.character, end.character)
  const parts = [(model.lines[start.line] ?? '').slice(start.character)]
  for (let l = start.line + 1; l < end.line; l++) parts.push(model.lines[l] ?? '')
  parts.push((model.lines[end.line] ?? '').slice(0, end.character))
  return parts.join('\n')
}

/** Where to point for a problem with the whole instruction: its keyword. */
export function keywordRange(instruction: Instruction): Range {
  return instruction.getInstructionRange()
}

export function hasVariable(text: string): boolean {
  return text.includes('$')
}
