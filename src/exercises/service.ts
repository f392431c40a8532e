/**
 * What the `dk exercise …` commands do, one function per command, on plain options (no oclif).
 * The workshop folder (`--dir`, default the current directory) holds one folder per exercise and
 * `.dk/state.json`.
 */
import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {DkError, UsageError} from '../cli/errors.js'
import {connectEngine} from '../engine/connect.js'
import {Label} from '../engine/labels.js'
import {allExercises, fillToken, findExercise, loadDefinition, readReadme} from './catalog.js'
import {removeLabelled} from './kit.js'
import type {CheckResult, ExerciseMeta, VerifyReport} from './model.js'
import {assertScaffolded, solveExercise, verifyExercise} from './runner.js'
import {exerciseDir, listFiles, resetFiles, scaffoldExercise, type ScaffoldResult} from './scaffold.js'
import {
  type ExerciseStatus,
  ensureProgress,
  loadOrCreateState,
  nextExercise,
  progressOf,
  readState,
  statusOf,
  updateState,
  type WorkshopState,
} from './state.js'

export interface ExerciseRow {
  id: number
  slug: string
  title: string
  minutes: number
  status: ExerciseStatus
  current: boolean
  next: boolean
  passedAt?: string
  revealed: boolean
}

export interface ListResult {
  workshopDir: string
  exercises: ExerciseRow[]
  /** Minutes of the exercises still to do. */
  remainingMinutes: number
  next?: number
}

export async function listWorkshop(workshopDir: string): Promise<ListResult> {
  const metas = await allExercises()
  const state = await readState(workshopDir)
  const next = nextExercise(
    metas.map((m) => m.id),
    state,
  )
  const exercises = metas.map((m): ExerciseRow => {
    const p = progressOf(state, m.id)
    return {
      id: m.id,
      slug: m.slug,
      title: m.title,
      minutes: m.minutes,
      status: statusOf(p),
      current: state?.current === m.id,
      next: next === m.id,
      passedAt: p.passedAt,
      revealed: Boolean(p.revealedAt),
    }
  })
  return {
    workshopDir: resolve(workshopDir),
    exercises,
    remainingMinutes: exercises.filter((e) => e.status === 'todo').reduce((sum, e) => sum + e.minutes, 0),
    next,
  }
}

/** The exercise a command means: the argument, else the current one. */
export async function resolveExercise(which: string | undefined, workshopDir: string): Promise<ExerciseMeta> {
  if (which !== undefined) return findExercise(which)
  const state = await readState(workshopDir)
  if (state?.current === undefined) {
    throw new UsageError(`No current exercise in ${resolve(workshopDir)}.`, {hint: 'Name one (e.g. `dk exercise verify 1`), or start with `dk exercise 1`.'})
  }
  return findExercise(state.current)
}

export interface OpenResult {
  exercise: {id: number; slug: string; title: string; minutes: number}
  dir: string
  token: string
  scaffold: ScaffoldResult
  readme: string
  requires: number[]
}

/** `dk exercise N`: scaffold (keeping the attendee's files), make it current, return its text. */
export async function openExercise(which: string, workshopDir: string): Promise<OpenResult> {
  const meta = await findExercise(which)
  const def = await loadDefinition(meta)
  const state = await loadOrCreateState(workshopDir)
  const scaffold = await scaffoldExercise(meta, def, workshopDir, state.token)
  await updateState(workshopDir, (s) => {
    s.current = meta.id
    ensureProgress(s, meta.id).scaffoldedAt ??= new Date().toISOString()
  })
  return {
    exercise: {id: meta.id, slug: meta.slug, title: meta.title, minutes: meta.minutes},
    dir: scaffold.dir,
    token: state.token,
    scaffold,
    readme: await readReadme(meta, state.token),
    requires: meta.requires,
  }
}

async function requiredMetas(meta: ExerciseMeta): Promise<ExerciseMeta[]> {
  const all = await allExercises()
  return all.filter((m) => meta.requires.includes(m.id))
}

export interface VerifyOptions {
  host?: string
  only?: string[]
  onCheck?: (result: CheckResult) => void
  /** Record the result in the state file (default true). */
  record?: boolean
}

/** `dk exercise verify`: run the checks and record the outcome. */
export async function verifyWorkshopExercise(which: string | undefined, workshopDir: string, options: VerifyOptions = {}): Promise<VerifyReport & {hints: string}> {
  const meta = await resolveExercise(which, workshopDir)
  const state = await readState(workshopDir)
  if (!state) {
    throw new UsageError(`${resolve(workshopDir)} is not a workshop folder yet (no .dk/state.json).`, {hint: `Start with \`dk exercise ${meta.id}\` there, or pass --dir.`})
  }
  await assertScaffolded(meta, workshopDir)
  const def = await loadDefinition(meta)
  const report = await verifyExercise({meta, def, workshopDir, token: state.token, host: options.host, only: options.only, onCheck: options.onCheck, requiredBy: await requiredMetas(meta)})
  if (options.record !== false && !options.only) {
    await updateState(workshopDir, (s) => {
      const p = ensureProgress(s, meta.id)
      const now = new Date().toISOString()
      p.attempts += 1
      p.lastVerifiedAt = now
      p.lastResult = report.passed ? 'pass' : report.environmentProblem ? 'env' : 'fail'
      if (report.passed) {
        p.passedAt ??= now
        p.evidence = Object.fromEntries(report.checks.filter((c) => c.evidence).map((c) => [c.id, c.evidence!]))
      }
    })
  }
  return {...report, hints: `dk exercise hint ${meta.id}`}
}

export interface HintResult {
  exercise: number
  level: number
  hint: string
  levels: number
}

export async function hintFor(which: string | undefined, workshopDir: string, level: number | undefined): Promise<HintResult> {
  const meta = await resolveExercise(which, workshopDir)
  const state = await readState(workshopDir)
  const seen = progressOf(state, meta.id).hintsSeen ?? []
  // Without --level, the next level the attendee has not seen yet.
  const chosen = level ?? Math.min(3, (seen.length ? Math.max(...seen) : 0) + 1)
  if (state) {
    await updateState(workshopDir, (s) => {
      const p = ensureProgress(s, meta.id)
      p.hintsSeen = [...new Set([...(p.hintsSeen ?? []), chosen])].sort()
    })
  }
  const hint = meta.hints[chosen - 1]
  return {exercise: meta.id, level: chosen, hint: state ? fillToken(hint, state.token) : hint, levels: 3}
}

export interface SolutionResult {
  exercise: number
  revealed: boolean
  files: Array<{path: string; content: string}>
}

export async function solutionFor(which: string | undefined, workshopDir: string, reveal: boolean): Promise<SolutionResult> {
  const meta = await resolveExercise(which, workshopDir)
  const state = await readState(workshopDir)
  const progress = progressOf(state, meta.id)
  const passed = Boolean(progress.passedAt)
  if (!passed && !reveal) {
    throw new DkError(`Exercise ${meta.id} has not passed yet, so its solution stays hidden.`, {
      code: 'SOLUTION_LOCKED',
      hint: `Try \`dk exercise hint ${meta.id}\` first. To see it anyway: \`dk exercise solution ${meta.id} --reveal\` (recorded as revealed).`,
    })
  }
  if (!passed && state) {
    await updateState(workshopDir, (s) => {
      ensureProgress(s, meta.id).revealedAt ??= new Date().toISOString()
    })
  }
  const root = join(meta.root, 'solution')
  const files = await Promise.all(
    (await listFiles(root)).map(async (path) => {
      const content = await readFile(join(root, path), 'utf8')
      return {path, content: state ? content.replaceAll('{{token}}', state.token) : content}
    }),
  )
  return {exercise: meta.id, revealed: !passed, files}
}

/** `dk exercise solve N`: reference files + the actions an attendee would run; recorded as skipped. */
export async function solveWorkshopExercise(which: string, workshopDir: string, host?: string): Promise<{exercise: number; files: string[]; dir: string}> {
  const meta = await findExercise(which)
  const def = await loadDefinition(meta)
  const state = await loadOrCreateState(workshopDir)
  await scaffoldExercise(meta, def, workshopDir, state.token)
  const {files} = await solveExercise({meta, def, workshopDir, token: state.token, host})
  await updateState(workshopDir, (s) => {
    s.current = meta.id
    ensureProgress(s, meta.id).skippedAt ??= new Date().toISOString()
  })
  return {exercise: meta.id, files, dir: exerciseDir(workshopDir, meta)}
}

export interface ResetResult {
  exercises: Array<{id: number; dir: string; files: string[]; removedObjects: boolean; problems: string[]}>
}

/** Labels that pick what dk made for one exercise in this workshop folder. */
export function exerciseSelector(workshopDir: string, id: number): Record<string, string> {
  return {[Label.workshop]: resolve(workshopDir), [Label.exercise]: String(id)}
}

/**
 * `dk exercise reset`: the folder back to the scaffold, dk's objects for it removed (by label:
 * this workshop folder and this exercise), progress cleared. The token is kept.
 */
export async function resetWorkshop(which: string | undefined, all: boolean, workshopDir: string, host?: string): Promise<ResetResult> {
  const metas = all ? await allExercises() : [await findExercise(which ?? '')]
  const state = await loadOrCreateState(workshopDir)
  const engine = await connectEngine({host})
  const result: ResetResult = {exercises: []}
  // Later exercises first: their images are built FROM earlier ones.
  for (const meta of [...metas].sort((a, b) => b.id - a.id)) {
    const def = await loadDefinition(meta)
    const problems = await removeLabelled(engine, exerciseSelector(workshopDir, meta.id))
    const dir = exerciseDir(workshopDir, meta)
    const existed = Boolean(state.exercises[String(meta.id)]) || (await listFiles(dir)).length > 0
    let files: string[] = []
    if (existed || !all) files = (await resetFiles(meta, def, workshopDir, state.token)).written
    result.exercises.push({id: meta.id, dir, files, removedObjects: problems.length === 0, problems})
  }
  await updateState(workshopDir, (s) => {
    for (const meta of metas) delete s.exercises[String(meta.id)]
    if (all) s.current = undefined
  })
  result.exercises.reverse()
  return result
}

export interface RollCall {
  workshopDir: string
  token?: string
  current?: number
  done: number
  skipped: number
  total: number
  exercises: Array<ExerciseRow & {attempts: number; lastResult?: string; lastVerifiedAt?: string; skippedAt?: string; revealedAt?: string; hintsSeen: number[]; evidence?: Record<string, unknown>}>
}

/** `dk exercise status`: everything an instructor wants from one attendee's folder. */
export async function rollCall(workshopDir: string): Promise<RollCall> {
  const list = await listWorkshop(workshopDir)
  const state: WorkshopState | undefined = await readState(workshopDir)
  const exercises = list.exercises.map((row) => {
    const p = progressOf(state, row.id)
    return {...row, attempts: p.attempts, lastResult: p.lastResult, lastVerifiedAt: p.lastVerifiedAt, skippedAt: p.skippedAt, revealedAt: p.revealedAt, hintsSeen: p.hintsSeen ?? [], evidence: p.evidence}
  })
  return {
    workshopDir: list.workshopDir,
    token: state?.token,
    current: state?.current,
    done: exercises.filter((e) => e.status === 'done').length,
    skipped: exercises.filter((e) => e.status === 'skipped').length,
    total: exercises.length,
    exercises,
  }
}
