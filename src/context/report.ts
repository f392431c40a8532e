/**
 * What `dk context` shows: the entries Docker would send (`contextEntries`, `--list`), and a report
 * built from one walk — counts, bytes, the exact upload size, what `.dockerignore` left out, the
 * largest files and directories, and warnings for things that rarely belong in a build context,
 * each with the `.dockerignore` line that would leave it out.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import type {ContextPlan} from './plan.js'
import {END_OF_ARCHIVE, encodeHeader, padding} from './tar-header.js'
import {headerOf} from './pack.js'
import {type ContextEntry, type WalkOptions, type WalkWarning, walkContext} from './walk.js'

/** An entry of the tar as `--list --json` shows it. */
export interface ListedEntry {
  path: string
  type: ContextEntry['type']
  /** Octal permission bits, e.g. "0644" or "4755". */
  mode: string
  size: number
  linkTarget?: string
}

/** Every entry the tar holds, in tar order: the walk plus, for an injected Dockerfile, Docker's extra entries. */
export function* contextEntries(plan: ContextPlan, options: WalkOptions = {}): Generator<ContextEntry> {
  let sawDockerignore = false
  const injectedSuffix = plan.injectedName ? Buffer.byteLength(`\n${plan.injectedName}\n`) : 0
  for (const entry of walkContext(plan.dir, plan.matcher, options)) {
    if (plan.injectedName && entry.path === '.dockerignore') {
      sawDockerignore = true
      yield {...entry, size: entry.size + injectedSuffix}
      continue
    }
    yield entry
  }
  if (plan.injectedName) {
    const now = Math.round(Date.now() / 1000)
    const content = plan.dockerfile.content ?? Buffer.alloc(0)
    const synthetic = {absPath: '', mode: 0o600, mtime: now, type: 'file' as const, decidedBy: -1}
    yield {...synthetic, path: plan.injectedName, size: content.length, diskSize: content.length}
    if (!sawDockerignore) {
      const size = Buffer.byteLength(`.dockerignore\n${plan.injectedName}\n`)
      yield {...synthetic, path: '.dockerignore', size, diskSize: size}
    }
  }
}

export function listedEntry(entry: ContextEntry): ListedEntry {
  const listed: ListedEntry = {path: entry.path, type: entry.type, mode: entry.mode.toString(8).padStart(4, '0'), size: entry.size}
  if (entry.linkTarget !== undefined) listed.linkTarget = entry.linkTarget
  return listed
}

/** Sort by UTF-8 bytes, the order `--list` promises. */
export function byUtf8(a: {path: string}, b: {path: string}): number {
  return Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))
}

/** `\n`, `\t`, `\r` in a name, shown escaped so that one line is one entry. */
export function escapeName(name: string): string {
  return name.replace(/[\n\t\r]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : '\\r'))
}

export type WarningKind = 'git' | 'node_modules' | 'env' | 'private-key' | 'large-file'

export interface ContextWarning {
  kind: WarningKind
  path: string
  message: string
  /** A `.dockerignore` line that leaves it out (append it at the end: the last match wins). */
  fix: string
}

export interface SizedPath {
  path: string
  size: number
}

export interface ContextReport {
  context: string
  dockerfile: {path: string | null; queryPath: string; injected: boolean; alwaysSent: boolean}
  dockerignore: {path: string; exists: boolean; patterns: number; alwaysSent: boolean}
  /** Regular files and hard links sent. */
  files: number
  dirs: number
  symlinks: number
  /** FIFOs and devices. */
  other: number
  /** Content bytes sent (regular files). */
  totalBytes: number
  /** Exact size of the upload (headers, padding and end-of-archive marker included). */
  tarBytes: number
  /** Paths `.dockerignore` left out, counting everything inside directories Docker does not enter. */
  excluded: number
  /** Excluded directories Docker does not enter, largest first (by entries inside). */
  excludedDirs: Array<{path: string; entries: number}>
  largestFiles: SizedPath[]
  largestDirs: SizedPath[]
  warnings: ContextWarning[]
  /** Entries Docker would log and skip. */
  skipped: WalkWarning[]
}

export const LARGE_FILE_BYTES = 50 * 1000 * 1000
const TOP = 10

const PRIVATE_KEY_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'])

/** Walk once and summarise what Docker would send. */
export function contextReport(plan: ContextPlan): ContextReport {
  const skipped: WalkWarning[] = []
  const counts = {files: 0, dirs: 0, symlinks: 0, other: 0, totalBytes: 0, tarBytes: 0, excluded: 0}
  const dirSizes = new Map<string, number>()
  const files: SizedPath[] = []
  const warnings: ContextWarning[] = []
  const warnedDirs: string[] = []
  const excludedDirs: Array<{path: string; entries: number}> = []

  const onExcluded = (_path: string, _isDir: boolean, abs: string, pruned: boolean) => {
    counts.excluded++
    if (pruned) {
      const inside = countTree(abs)
      counts.excluded += inside
      excludedDirs.push({path: _path, entries: inside})
    }
  }
  for (const entry of contextEntries(plan, {onWarning: (w) => skipped.push(w), onExcluded})) {
    const header = headerOf(entry)
    const data = header.typeflag === '0' ? header.size : 0
    counts.tarBytes += encodeHeader(header).length + data + padding(data)
    switch (entry.type) {
      case 'dir':
        counts.dirs++
        break
      case 'file':
      case 'hardlink':
        counts.files++
        break
      case 'symlink':
        counts.symlinks++
        break
      default:
        counts.other++
    }
    if (entry.type === 'file') {
      counts.totalBytes += entry.size
      files.push({path: entry.path, size: entry.size})
      for (let i = entry.path.indexOf('/'); i >= 0; i = entry.path.indexOf('/', i + 1)) {
        const dir = entry.path.slice(0, i)
        dirSizes.set(dir, (dirSizes.get(dir) ?? 0) + entry.size)
      }
    }
    const warning = warningFor(entry, plan)
    if (warning && !warnedDirs.some((d) => entry.path.startsWith(`${d}/`))) {
      warnings.push(warning)
      if (entry.type === 'dir') warnedDirs.push(entry.path)
    }
  }
  counts.tarBytes += plan.injectedName ? -padding(lastSize(plan)) : END_OF_ARCHIVE.length

  const largest = (list: SizedPath[]) => list.sort((a, b) => b.size - a.size || byUtf8(a, b)).slice(0, TOP)
  return {
    context: plan.dir,
    dockerfile: {
      path: plan.dockerfile.path ?? null,
      queryPath: plan.dockerfileQueryPath,
      injected: plan.dockerfile.injected,
      alwaysSent: plan.alwaysSent.dockerfile,
    },
    dockerignore: {path: plan.dockerignore.path, exists: plan.dockerignore.exists, patterns: plan.dockerignore.patterns.length, alwaysSent: plan.alwaysSent.dockerignore},
    ...counts,
    excludedDirs: excludedDirs.sort((a, b) => b.entries - a.entries).slice(0, TOP),
    largestFiles: largest(files),
    largestDirs: largest([...dirSizes].map(([path, size]) => ({path, size}))),
    warnings,
    skipped,
  }
}

/** Size of the last entry of an injected-Dockerfile stream (Docker sends it without padding). */
function lastSize(plan: ContextPlan): number {
  const name = plan.injectedName as string
  if (plan.dockerignore.exists) return (plan.dockerfile.content ?? Buffer.alloc(0)).length
  return Buffer.byteLength(`.dockerignore\n${name}\n`)
}

/** Entries below a directory Docker prunes, counted without stat calls. */
function countTree(abs: string): number {
  let total = 0
  const stack = [abs]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    let entries
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch {
      continue
    }
    total += entries.length
    for (const e of entries) if (e.isDirectory()) stack.push(join(dir, e.name))
  }
  return total
}

function warningFor(entry: ContextEntry, plan: ContextPlan): ContextWarning | undefined {
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1)
  const isDockerBuildFile = entry.path === plan.dockerfileQueryPath || entry.path === '.dockerignore'
  if (isDockerBuildFile) return undefined
  const fix = ignoreLineFor(entry.path)
  if (entry.type === 'dir' && name === '.git')
    return {kind: 'git', path: entry.path, message: `${entry.path}/ is sent: the repository history (often large, sometimes secret) goes to the daemon`, fix}
  if (entry.type === 'dir' && name === 'node_modules')
    return {kind: 'node_modules', path: entry.path, message: `${entry.path}/ is sent: install dependencies inside the image instead`, fix}
  if (entry.type === 'dir') return undefined
  if (name === '.env' || name.startsWith('.env.'))
    return {kind: 'env', path: entry.path, message: `${entry.path} is sent: environment files usually hold secrets; pass config at run time`, fix}
  if (PRIVATE_KEY_NAMES.has(name) || name.endsWith('.pem') || name.endsWith('.key'))
    return {kind: 'private-key', path: entry.path, message: `${entry.path} looks like a private key and is sent to the daemon`, fix}
  if (entry.type === 'file' && entry.size > LARGE_FILE_BYTES)
    return {kind: 'large-file', path: entry.path, message: `${entry.path} is ${Math.round(entry.size / 1e6)} MB; every build uploads it again`, fix}
  return undefined
}

/**
 * A `.dockerignore` line that matches exactly this path. Docker anchors patterns at the root, so the
 * path itself works unless it holds characters its matcher treats specially; then the line becomes
 * a regexp-kind pattern with those characters escaped. Docker trims blanks at both ends of a line
 * (twice), so a leading blank is escaped (`\ x`) and a trailing one put in a class (`x[ ]`).
 */
export function ignoreLineFor(path: string): string {
  const special = /[*?[\]\\\n\r]/.test(path) || /^[\s#!]/.test(path) || /\s$/.test(path)
  if (!special) return path
  let line = path.replace(/[*?[\]\\{}|^$.+()]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')
  if (/^[\s#!]/.test(line)) line = `\\${line}`
  if (/\s$/.test(line)) line = `${line.slice(0, -1)}[${line.slice(-1)}]`
  return line
}

