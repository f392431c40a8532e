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
const MAX_CONTEXT_ENTRIES = 500_000
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
  /** Paths (files, links) the build context would send; undefined without a Dockerfile (nothing can be built). */
  context?: Set<string>
}

export async function listProjectFiles(dir: string, dockerfile?: string): Promise<ProjectFiles> {
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
  return {dir, files, truncated, hasGitDir, context: dockerfile === undefined ? undefined : await contextFileSet(dir, dockerfile)}
}

/**
 * The paths the build context would send: dk's packer plans the context (`.dockerignore` with
 * Docker's rules, the always-sent files) and its walk lists the entries without reading contents.
 * A context Docker would refuse (unreadable file, bad pattern) throws the packer's own error.
 */
export async function contextFileSet(dir: string, dockerfile?: string): Promise<Set<string>> {
  const {planContext, walkContext} = await import('../context/index.js')
  const plan = await planContext(dir, {dockerfile, cwd: dir})
  const set = new Set<string>()
  for (const entry of walkContext(plan.dir, plan.matcher)) {
    if (entry.type !== 'dir') set.add(entry.path)
    if (set.size >= MAX_CONTEXT_ENTRIES) break
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
