/**
 * Small queries the good-practice and workshop rules share: which stages end up in the image, the
 * RUN scripts of a stage, ranges of keywords and of whole instructions for edits.
 */
import type {Instruction} from './syntax.js'

import type {DockerfileModel, Range, Stage, TextEdit} from './rule.js'
import {memoKey, NOT_YET, recall, remember} from './memo.js'
import {runScript, type ShellScript} from './shell.js'

/** The final stage and the stages it is built FROM, transitively: what `docker build` ships (do not modify the list). */
export function shippedStages(model: DockerfileModel): Stage[] {
  const known = recall<Stage[]>(model, SHIPPED)
  if (known !== NOT_YET) return known
  const shipped: Stage[] = []
  let stage = model.finalStage
  const seen = new Set<number>()
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index)
    shipped.push(stage)
    stage = stage.baseStage === undefined ? undefined : model.stages[stage.baseStage]
  }
  return remember(model, SHIPPED, shipped)
}

// Four rules ask for it.
const SHIPPED = memoKey('model', 'shippedStages')

export interface StageRun {
  stage: Stage
  run: Instruction
  /** undefined for exec form. */
  script?: ShellScript
  /** An `ONBUILD RUN` trigger: it runs at the start of a child image's build. */
  onbuild: boolean
}

/**
 * Every RUN of every stage. With `onbuild`, `ONBUILD RUN` triggers too: rules about what a script
 * does apply to them, rules about this build's layers (cache, cleanup, consecutive RUNs) do not.
 */
export function runsOf(model: DockerfileModel, options: {onbuild?: boolean} = {}): StageRun[] {
  // A dozen rules ask for the same lists: build each once per file (callers must not modify them).
  const onbuild = options.onbuild ?? false
  const key = onbuild ? RUNS_WITH_ONBUILD : RUNS
  const known = recall<StageRun[]>(model, key)
  if (known !== NOT_YET) return known
  return remember(model, key, collectRuns(model, onbuild))
}

const RUNS = memoKey('model', 'runs')
const RUNS_WITH_ONBUILD = memoKey('model', 'runs+onbuild')

function collectRuns(model: DockerfileModel, onbuild: boolean): StageRun[] {
  const runs: StageRun[] = []
  for (const stage of model.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() === 'RUN') runs.push({stage, run: instruction, script: runScript(model, instruction), onbuild: false})
      else if (onbuild && instruction.getKeyword() === 'ONBUILD') {
        const trigger = instruction.getTriggerInstruction()
        if (trigger?.getKeyword() === 'RUN') runs.push({stage, run: trigger, script: runScript(model, trigger), onbuild: true})
      }
    }
  }
  return runs
}


export function keywordRange(instruction: Instruction): Range {
  return instruction.getInstructionRange()
}

/** The instructions of a stage with one keyword. */
export function ofKeyword(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword)
}

/**
 * An edit that removes a whole instruction, from the start of its first line to the start of the
 * line after it, so no blank line is left behind.
 */
export function deleteInstruction(model: DockerfileModel, instruction: Instruction): TextEdit {
  const range = instruction.getRange()
  const nextLine = range.end.line + 1
  const end = nextLine < model.lines.length ? {line: nextLine, character: 0} : {line: range.end.line, character: model.lines[range.end.line]?.length ?? range.end.character}
  return {range: {start: {line: range.start.line, character: 0}, end}, newText: ''}
}

/** Whether only blank lines separate two instructions (a comment between them is the author's). */
export function adjacent(model: DockerfileModel, first: Instruction, second: Instruction): boolean {
  for (let line = first.getRange().end.line + 1; line < second.getRange().start.line; line++) {
    if ((model.lines[line] ?? '').trim() !== '') return false
  }
  return true
}

/** `RUN --mount=type=cache,target=/var/lib/apt` style mounts: their targets, for cache-aware rules. */
export function mountTargets(instruction: Instruction, type?: string): readonly string[] {
  const mounts = mountsOf(instruction)
  // Most RUNs mount nothing: four rules ask about every RUN, so no new empty list each time.
  if (mounts.length === 0) return NO_TARGETS
  const targets: string[] = []
  for (const mount of mounts) if (type === undefined || mount.type === type) targets.push(mount.target)
  return targets
}

const NO_TARGETS: readonly string[] = Object.freeze([])

/** The `--mount` flags with a target, parsed once per instruction (three rules ask for every RUN). */
function mountsOf(instruction: Instruction): {type: string; target: string}[] {
  const known = recall<{type: string; target: string}[]>(instruction, MOUNTS)
  if (known !== NOT_YET) return known
  const mounts: {type: string; target: string}[] = []
  for (const flag of instruction.getFlags()) {
    const value = flag.getValue()
    if (flag.getName() !== 'mount' || !value) continue
    const fields = new Map(value.split(',').map((kv) => {
      const eq = kv.indexOf('=')
      return eq < 0 ? [kv, 'true'] : [kv.slice(0, eq), kv.slice(eq + 1)]
    }))
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination')
    if (target) mounts.push({type: fields.get('type') ?? 'bind', target})
  }
  return remember(instruction, MOUNTS, mounts)
}

const MOUNTS = memoKey('instruction', 'mounts')
