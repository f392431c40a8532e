/**
 * The files of a project directory, for the static checks: a bounded walk that never follows a
 * symlink (a link out of the directory is reported as a link, not read), skips the folders no
 * check needs (.git internals, node_modules, vendor trees) and marks which files the build context
 * would send, using dk's packer (src/context) so `.dockerignore` is applied with Docker's rules.
 */
import {lstat, open, readdir} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'

/** Folders whose content the checks never need; they are also usually huge. */
const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', '.venv', 'venv', '__pycache__', '.tox', 'target', 'dist', '.dk'])
const MAX_FILES = 20_000
/** Text checks read at most this much of one file. */
export const MAX_TEXT_BYTES = 512 * 1024

export interface ProjectFile {
  /** Slash-separated path relative to the directory. */
  path: string
  size: number
  symlink: boolean
}

export interface ProjectFiles {
  dir: string
  files: ProjectFile[]
  /** The walk stopped at MAX_FILES. */
  truncated: boolean
  /** Whether `.git` exists at the top (a repository root). */
  hasGitDir: boolean
  /** Paths the build context would send (undefined: the packer is not available). */
  context?: Set<string>
}

export async function listProjectFiles(dir: string): Promise<ProjectFiles> {
  const files: ProjectFile[] = []
  let truncated = false
  let hasGitDir = false
  const walk = async (folder: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(folder, {withFileTypes: true})
    } catch {
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (files.length >= MAX_FILES) {
        truncated = true
        return
      }
      const full = join(folder, entry.name)
      if (entry.isDirectory()) {
        if (folder === dir && entry.name === '.git') hasGitDir = true
        if (!SKIP_DIRS.has(entry.name)) await walk(full)
        continue
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue
      const stat = await lstat(full).catch(() => undefined)
      if (!stat) continue
      files.push({path: relative(dir, full).split(sep).join('/'), size: stat.size, symlink: entry.isSymbolicLink()})
    }
  }
  await walk(dir)
  return {dir, files, truncated, hasGitDir, context: await contextFileSet(dir)}
}

/**
 * The paths the packer would put in the build context. The packer lands in parallel with this
 * module, so it is loaded through a variable specifier and its plan is read defensively.
 */
export async function contextFileSet(dir: string): Promise<Set<string> | undefined> {
  const specifier = '../context/index.js'
  let packer: {planContext(dir: string, options?: object): Promise<unknown>}
  try {
    packer = (await import(specifier)) as typeof packer
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined
    throw error
  }
  const plan = (await packer.planContext(dir, {})) as Record<string, unknown>
  const list = (plan.files ?? plan.entries ?? plan.included) as Array<string | {path?: string; name?: string; type?: string}> | undefined
  if (!Array.isArray(list)) return undefined
  const set = new Set<string>()
  for (const item of list) {
    const path = typeof item === 'string' ? item : (item.path ?? item.name)
    if (path) set.add(path.replace(/^\.\//, '').replace(/\/$/, ''))
  }
  return set
}

/** The first MAX_TEXT_BYTES of a regular file as text, or undefined for binary/unreadable files. */
export async function readTextHead(dir: string, file: ProjectFile): Promise<string | undefined> {
  if (file.symlink) return undefined
  let handle
  try {
    handle = await open(join(dir, file.path), 'r')
    const buffer = Buffer.alloc(Math.min(file.size, MAX_TEXT_BYTES))
    const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0)
    const bytes = buffer.subarray(0, bytesRead)
    if (bytes.includes(0)) return undefined
    return bytes.toString('utf8')
  } catch {
    return undefined
  } finally {
    await handle?.close()
  }
}
