/**
 * Files in and out of the workshop folder: scaffold (never overwriting a file the attendee already
 * has), lay the reference solution or a test attempt over it, and reset (the folder back to the
 * scaffold). Files are copied through a temp file + rename, keeping the executable bit.
 */
import {randomBytes} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {copyFile, chmod, lstat, mkdir, readFile, readdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import {dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {DkError} from '../cli/errors.js'
import {fillToken} from './catalog.js'
import type {ExerciseDefinition, ExerciseMeta, ScaffoldContext} from './model.js'

export interface ScaffoldResult {
  dir: string
  /** Files written (relative to dir). */
  written: string[]
  /** Files that already existed and were left alone. */
  kept: string[]
}

export function exerciseDir(workshopDir: string, meta: ExerciseMeta): string {
  return join(resolve(workshopDir), meta.folder)
}

/** Every regular file under `root` (relative paths, forward slashes), sorted. */
export async function listFiles(root: string, skip: (rel: string) => boolean = () => false): Promise<string[]> {
  const files: string[] = []
  const walk = async (folder: string) => {
    let names: string[]
    try {
      names = await readdir(folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    for (const name of names.sort()) {
      const full = join(folder, name)
      const rel = relative(root, full).split(sep).join('/')
      if (skip(rel)) continue
      const st = await lstat(full)
      if (st.isDirectory()) await walk(full)
      else if (st.isFile()) files.push(rel)
    }
  }
  await walk(root)
  return files
}

async function atomicCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), {recursive: true})
  const temp = `${to}.dk-${randomBytes(3).toString('hex')}.tmp`
  try {
    await copyFile(from, temp)
    await chmod(temp, (await stat(from)).mode & 0o777)
    await rename(temp, to)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
}

async function atomicWrite(to: string, data: string | Uint8Array | NodeJS.ReadableStream, mode?: number): Promise<void> {
  await mkdir(dirname(to), {recursive: true})
  const temp = `${to}.dk-${randomBytes(3).toString('hex')}.tmp`
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await writeFile(temp, data)
    else await pipeline(data as Readable, createWriteStream(temp))
    if (mode !== undefined) await chmod(temp, mode)
    await rename(temp, to)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch {
    return false
  }
}

/**
 * Write the scaffold into WORKSHOP/NN-slug: README.md (token filled in), scaffold/ files, then the
 * exercise's own scaffold hook. A file that already exists is kept as it is: it may hold the
 * attendee's work.
 */
export async function scaffoldExercise(meta: ExerciseMeta, def: ExerciseDefinition, workshopDir: string, token: string): Promise<ScaffoldResult> {
  const dir = exerciseDir(workshopDir, meta)
  const result: ScaffoldResult = {dir, written: [], kept: []}
  await mkdir(dir, {recursive: true})
  const put = async (rel: string, write: (to: string) => Promise<void>) => {
    const to = join(dir, rel)
    if (await exists(to)) result.kept.push(rel)
    else {
      await write(to)
      result.written.push(rel)
    }
  }
  await put('README.md', async (to) => atomicWrite(to, fillToken(await readFile(join(meta.root, 'README.md'), 'utf8'), token)))
  const scaffoldRoot = join(meta.root, 'scaffold')
  for (const rel of await listFiles(scaffoldRoot)) {
    await put(rel, (to) => atomicCopy(join(scaffoldRoot, rel), to))
  }
  if (def.scaffold) {
    const ctx: ScaffoldContext = {
      exercise: {id: meta.id, slug: meta.slug, title: meta.title},
      dir,
      workshopDir: resolve(workshopDir),
      token,
      writeFile: (rel, data, mode) => put(rel, (to) => atomicWrite(insideDir(dir, rel), data, mode)),
    }
    await def.scaffold(ctx)
  }
  return result
}

function insideDir(dir: string, rel: string): string {
  const full = resolve(dir, rel)
  const back = relative(dir, full)
  if (back.startsWith('..') || isAbsolute(back)) throw new DkError(`Scaffold path ${rel} is outside ${dir}.`)
  return full
}

/**
 * Lay files over the exercise folder, overwriting (the solution, or a test/wrong-* attempt), with
 * {{token}} filled in. `expect.yaml` of test attempts is not a file of the attempt.
 */
export async function overlay(from: string, dir: string, token: string): Promise<string[]> {
  const files = await listFiles(from, (rel) => rel === 'expect.yaml')
  for (const rel of files) {
    const source = join(from, rel)
    const text = (await stat(source)).size < 1 << 20 ? await readFile(source, 'utf8') : ''
    if (text.includes('{{token}}')) await atomicWrite(join(dir, rel), fillToken(text, token), (await stat(source)).mode & 0o777)
    else await atomicCopy(source, join(dir, rel))
  }
  return files
}

/** Remove the exercise folder and scaffold it again. The folder must be WORKSHOP/NN-slug. */
export async function resetFiles(meta: ExerciseMeta, def: ExerciseDefinition, workshopDir: string, token: string): Promise<ScaffoldResult> {
  const dir = exerciseDir(workshopDir, meta)
  if (dirname(dir) !== resolve(workshopDir) || !dir.endsWith(meta.folder)) throw new DkError(`Refusing to reset ${dir}: not an exercise folder.`)
  await rm(dir, {recursive: true, force: true})
  return scaffoldExercise(meta, def, workshopDir, token)
}

/** Files of the scaffold (as listFiles names them), for comparing after a reset. */
export async function scaffoldFileNames(meta: ExerciseMeta): Promise<string[]> {
  return ['README.md', ...(await listFiles(join(meta.root, 'scaffold')))].sort()
}
