/**
 * The exercises shipped with dk: `exercises/NN-slug/` at the package root (assets are read from
 * there, never from dist/), and each one's compiled `checks.ts`: `dist/exercises/NN-slug/checks.js`
 * when dk runs built, `exercises/NN-slug/checks.ts` when it runs from sources through tsx.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {DkError, NotFoundError, UsageError} from '../cli/errors.js'
import type {ExerciseDefinition, ExerciseMeta} from './model.js'

const here = fileURLToPath(import.meta.url)
/** True when this module is the TypeScript source (tsx / vitest), false when it is dist/. */
const fromSources = here.endsWith('.ts')

let rootCache: string | undefined

/** The dk package root: the nearest folder upwards holding dk's package.json. */
export function packageRoot(): string {
  if (rootCache) return rootCache
  let dir = dirname(here)
  for (;;) {
    const pj = join(dir, 'package.json')
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'dk') return (rootCache = dir)
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir)
    if (parent === dir) throw new DkError('Cannot find the dk package root (package.json) above ' + here)
    dir = parent
  }
}

export function exercisesRoot(): string {
  return process.env.DK_EXERCISES_DIR ?? join(packageRoot(), 'exercises')
}

let catalogCache: ExerciseMeta[] | undefined

/** Every exercise, in order. Invalid metadata is a packaging bug: it fails loudly with the file. */
export async function listExercises(): Promise<ExerciseMeta[]> {
  if (catalogCache) return catalogCache
  const root = exercisesRoot()
  let folders: string[]
  try {
    folders = readdirSync(root).filter((name) => /^\d{2}-[a-z0-9-]+$/.test(name))
  } catch {
    throw new NotFoundError(`No exercises found at ${root}.`, {hint: 'Reinstall dk: the exercises/ folder is part of the package.'})
  }
  const metas: ExerciseMeta[] = []
  for (const folder of folders.sort()) {
    const file = join(root, folder, 'exercise.yaml')
    if (!existsSync(file)) continue
    metas.push(parseMeta(await readFile(file, 'utf8'), folder, join(root, folder)))
  }
  catalogCache = metas
  return metas
}

/** Validate exercise.yaml; messages name the file and the field. */
export function parseMetaObject(raw: unknown, folder: string, root: string): ExerciseMeta {
  const where = `exercises/${folder}/exercise.yaml`
  const bad = (what: string) => new DkError(`${where}: ${what}`, {code: 'BAD_EXERCISE', hint: 'See docs/exercises.md for the exercise format.'})
  if (!raw || typeof raw !== 'object') throw bad('expected a mapping')
  const o = raw as Record<string, unknown>
  const id = o.id
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) throw bad('id must be a positive integer')
  if (Number(folder.slice(0, 2)) !== id) throw bad(`id ${id} does not match the folder number`)
  const slug = o.slug
  if (typeof slug !== 'string' || `${folder.slice(0, 3)}${slug}` !== folder) throw bad(`slug must be "${folder.slice(3)}"`)
  if (typeof o.title !== 'string' || !o.title.trim()) throw bad('title is required')
  if (typeof o.minutes !== 'number' || o.minutes <= 0) throw bad('minutes must be a positive number')
  const numbers = (value: unknown, field: string) => {
    if (value === undefined || value === null) return []
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'number')) throw bad(`${field} must be a list of exercise numbers`)
    return value as number[]
  }
  const strings = (value: unknown, field: string) => {
    if (value === undefined || value === null) return []
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad(`${field} must be a list of strings`)
    return value as string[]
  }
  const requires = numbers(o.requires, 'requires')
  if (requires.some((r) => r >= id)) throw bad('requires may only name earlier exercises')
  const hints = strings(o.hints, 'hints')
  if (hints.length !== 3) throw bad('hints must have exactly three levels')
  const provides = (o.provides ?? {}) as Record<string, unknown>
  return {
    id,
    slug,
    title: o.title.trim(),
    minutes: o.minutes,
    requires,
    images: strings(o.images, 'images'),
    hints: hints as [string, string, string],
    provides: {images: strings(provides.images, 'provides.images'), containers: strings(provides.containers, 'provides.containers')},
    root,
    folder,
  }
}

function parseMeta(text: string, folder: string, root: string): ExerciseMeta {
  return parseMetaObject(parseYaml(text, `exercises/${folder}/exercise.yaml`), folder, root)
}

let yamlModule: typeof import('yaml') | undefined

/** Parse YAML synchronously once the module is loaded (loadYaml() is awaited by every entry point). */
export function parseYaml(text: string, file: string): unknown {
  if (!yamlModule) throw new DkError('yaml module not loaded')
  try {
    return yamlModule.parse(text)
  } catch (error) {
    const e = error as {linePos?: Array<{line: number; col: number}>; message: string}
    const pos = e.linePos?.[0]
    throw new DkError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`, {code: 'BAD_YAML', location: pos ? `${file}:${pos.line}:${pos.col}` : file})
  }
}

export async function loadYaml(): Promise<void> {
  yamlModule ??= await import('yaml')
}

/** Find an exercise by number ("3", "03") or slug ("first-dockerfile"). */
export async function findExercise(which: string | number): Promise<ExerciseMeta> {
  await loadYaml()
  const all = await listExercises()
  const text = String(which).trim()
  const byNumber = /^\d+$/.test(text) ? all.find((m) => m.id === Number(text)) : undefined
  const found = byNumber ?? all.find((m) => m.slug === text || m.folder === text)
  if (!found) {
    throw new UsageError(`There is no exercise "${text}".`, {
      hint: `Exercises are numbered ${all[0]?.id ?? 1}–${all.at(-1)?.id ?? 1}; \`dk exercise list\` shows them.`,
    })
  }
  return found
}

export async function allExercises(): Promise<ExerciseMeta[]> {
  await loadYaml()
  return listExercises()
}

/** Load an exercise's checks (compiled checks.js, or checks.ts under tsx). */
export async function loadDefinition(meta: ExerciseMeta): Promise<ExerciseDefinition> {
  const file = fromSources ? join(meta.root, 'checks.ts') : join(packageRoot(), 'dist', 'exercises', meta.folder, 'checks.js')
  if (!existsSync(file)) {
    throw new DkError(`The checks of exercise ${meta.id} are missing (${file}).`, {
      code: 'BAD_EXERCISE',
      hint: fromSources ? 'Every exercise needs a checks.ts.' : 'Build dk first: npx tsc -p tsconfig.json.',
    })
  }
  const mod = (await import(pathToFileURL(file).href)) as {default?: ExerciseDefinition}
  if (!mod.default || !Array.isArray(mod.default.checks)) {
    throw new DkError(`${file} must \`export default defineExercise({checks: [...]})\`.`, {code: 'BAD_EXERCISE'})
  }
  return mod.default
}

/** README.md with the attendee's token filled in. */
export async function readReadme(meta: ExerciseMeta, token: string): Promise<string> {
  const text = await readFile(join(meta.root, 'README.md'), 'utf8')
  return fillToken(text, token)
}

export function fillToken(text: string, token: string): string {
  return text.replaceAll('{{token}}', token)
}
