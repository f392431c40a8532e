/**
 * Workshop progress in `WORKSHOP/.dk/state.json`: the attendee's token, the current exercise, and
 * per exercise when it was scaffolded, verified and passed (with evidence such as the image id),
 * whether the solution was revealed before a pass and whether it was skipped with `solve`.
 * Written atomically (temp file + rename) so an interrupted dk never leaves half a file.
 */
import {randomBytes} from 'node:crypto'
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {DkError} from '../cli/errors.js'

export const STATE_VERSION = 1

export type ExerciseStatus = 'todo' | 'done' | 'skipped'

export interface ExerciseProgress {
  scaffoldedAt?: string
  /** Number of verify runs. */
  attempts: number
  lastVerifiedAt?: string
  lastResult?: 'pass' | 'fail' | 'env'
  /** First passing verify. */
  passedAt?: string
  /** Evidence of the latest pass, per check id (image ids, ports…). */
  evidence?: Record<string, Record<string, unknown>>
  /** The solution was shown before a pass (`solution --reveal`). */
  revealedAt?: string
  /** The reference solution was applied with `solve`. */
  skippedAt?: string
  hintsSeen?: number[]
}

export interface WorkshopState {
  _comment: string
  version: number
  token: string
  createdAt: string
  current?: number
  exercises: Record<string, ExerciseProgress>
}

const COMMENT = 'Managed by dk: do not edit. Use `dk exercise reset`, `dk exercise solve` or delete this file to start over (progress is lost).'

export function stateFile(workshopDir: string): string {
  return join(resolve(workshopDir), '.dk', 'state.json')
}

export function newToken(): string {
  return `dk-${randomBytes(4).toString('hex')}`
}

export function emptyState(token = newToken(), now = new Date()): WorkshopState {
  return {_comment: COMMENT, version: STATE_VERSION, token, createdAt: now.toISOString(), exercises: {}}
}

/** Read the state; undefined when the folder has none yet. */
export async function readState(workshopDir: string): Promise<WorkshopState | undefined> {
  const file = stateFile(workshopDir)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new DkError(`Cannot read ${file}: ${(error as Error).message}`, {code: 'STATE_UNREADABLE'})
  }
  return parseState(text, file)
}

export function parseState(text: string, file: string): WorkshopState {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new DkError(`The workshop progress file ${file} is damaged: ${(error as Error).message}.`, {
      code: 'STATE_DAMAGED',
      location: file,
      hint: 'Restore it from a backup, or delete it to start over (your progress and token are lost; your files are kept).',
    })
  }
  const o = raw as Partial<WorkshopState>
  if (!o || typeof o !== 'object' || typeof o.token !== 'string' || typeof o.exercises !== 'object' || o.exercises === null) {
    throw new DkError(`The workshop progress file ${file} is not dk's state (token or exercises missing).`, {
      code: 'STATE_DAMAGED',
      location: file,
      hint: 'Delete it to start over; your files are kept.',
    })
  }
  if ((o.version ?? 1) > STATE_VERSION) {
    throw new DkError(`${file} was written by a newer dk (state version ${o.version}).`, {code: 'STATE_VERSION', hint: 'Update dk.'})
  }
  return {...emptyState(o.token), ...o, _comment: COMMENT, version: STATE_VERSION} as WorkshopState
}

/** The state, created (with a fresh token) when the folder has none. */
export async function loadOrCreateState(workshopDir: string): Promise<WorkshopState> {
  const existing = await readState(workshopDir)
  if (existing) return existing
  const state = emptyState()
  await saveState(workshopDir, state)
  return state
}

export async function saveState(workshopDir: string, state: WorkshopState): Promise<void> {
  const file = stateFile(workshopDir)
  await mkdir(join(resolve(workshopDir), '.dk'), {recursive: true})
  const temp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`
  try {
    await writeFile(temp, `${JSON.stringify({...state, _comment: COMMENT}, null, 2)}\n`)
    await rename(temp, file)
  } catch (error) {
    await rm(temp, {force: true})
    throw new DkError(`Cannot save workshop progress to ${file}: ${(error as Error).message}`, {code: 'STATE_UNWRITABLE', hint: 'Check that the workshop folder is writable.'})
  }
}

/** Read-modify-write in one step. */
export async function updateState(workshopDir: string, change: (state: WorkshopState) => void): Promise<WorkshopState> {
  const state = await loadOrCreateState(workshopDir)
  change(state)
  await saveState(workshopDir, state)
  return state
}

export function progressOf(state: WorkshopState | undefined, id: number): ExerciseProgress {
  return state?.exercises[String(id)] ?? {attempts: 0}
}

export function ensureProgress(state: WorkshopState, id: number): ExerciseProgress {
  return (state.exercises[String(id)] ??= {attempts: 0})
}

/** skipped wins over done: a pass after `solve` is the reference solution's pass. */
export function statusOf(progress: ExerciseProgress): ExerciseStatus {
  if (progress.skippedAt) return 'skipped'
  if (progress.passedAt) return 'done'
  return 'todo'
}

/** The exercise to do next: the first one that is neither done nor skipped. */
export function nextExercise(ids: number[], state: WorkshopState | undefined): number | undefined {
  return ids.find((id) => statusOf(progressOf(state, id)) === 'todo')
}
