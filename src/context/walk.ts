/**
 * The two walks of `docker build` over a context directory, as the docker CLI does them.
 *
 * 1. `validateContext` — docker/cli's ValidateContextDirectory: every excluded directory is skipped
 *    (exceptions ignored), unreadable directories and included files that can't be opened are fatal.
 * 2. `walkContext` — go-archive's TarWithOptions walk: depth-first, each directory's entries in byte
 *    order of their UTF-8 names; an excluded directory gets no entry and is pruned unless an
 *    exception, taken as text, starts with `<dir>/`; symlinks are lstat'ed and never followed, so no
 *    file outside the context is ever opened; hard links become typeflag 1 after the first sent name;
 *    sockets are dropped.
 *
 * Both use synchronous fs calls on purpose: a context is tens of thousands of small lstat/readdir
 * calls, and the thread-pool round trip of the async API costs more than the calls themselves. The
 * packer calls the walk lazily, a few hundred entries at a time, so the event loop is never held long.
 */
import {accessSync, type BigIntStats, constants as fsConstants, type Dirent, lstatSync, readdirSync, readlinkSync, type Stats} from 'node:fs'
import {sep} from 'node:path'

import type {MatchInfo, PatternMatcher} from './pattern-matcher.js'
import type {TarTypeflag} from './tar-header.js'

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char' | 'block'

/** One entry of the build context tar, in walk order. */
export interface ContextEntry {
  /** Path relative to the context, `/`-separated, no trailing slash. */
  path: string
  /** Absolute path on disk. */
  absPath: string
  type: EntryType
  /** Permission bits plus setuid/setgid/sticky. */
  mode: number
  /** Content bytes sent (regular files only; 0 otherwise). */
  size: number
  /** Size on disk (for a hard link: the size of the shared content). */
  diskSize: number
  /** Whole seconds since the epoch. */
  mtime: number
  /** Symlink target (raw readlink) or, for a hard link, the path of the first sent name. */
  linkTarget?: string
  devmajor?: number
  devminor?: number
  /** Index of the pattern that decided (an exception that re-included it), or -1. */
  decidedBy: number
}

/** Something Docker logs and skips (an entry it could not read during the tar walk). */
export interface WalkWarning {
  path: string
  message: string
}

/** A reason Docker refuses the context before sending anything. */
export class ContextCheckError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly reason: 'permission' | 'not-found' | 'other',
  ) {
    super(message)
  }
}

/**
 * Compare two strings by their UTF-8 bytes (= code point order), which is Go's string order.
 * JavaScript's default order compares UTF-16 units and puts U+E000–U+FFFF after astral characters.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // A surrogate (astral code point) sorts after every BMP character from U+E000 up.
    const xs = x >= 0xd800 && x <= 0xdfff
    const ys = y >= 0xd800 && y <= 0xdfff
    if (xs !== ys && (x >= 0xd800 || y >= 0xd800)) return xs ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

function readSorted(absDir: string): Dirent[] {
  const entries = readdirSync(absDir, {withFileTypes: true})
  entries.sort((a, b) => compareUtf8(a.name, b.name))
  return entries
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code
}

const S_IFMT = 0o170000

/**
 * docker/cli's ValidateContextDirectory. Throws ContextCheckError with Docker's message; a bad
 * pattern surfaces as the PatternSyntaxError thrown by the matcher (Go compiles lazily, too).
 */
export function validateContext(root: string, matcher: PatternMatcher): void {
  const readDir = (absDir: string): Dirent[] => {
    try {
      return readSorted(absDir)
    } catch (error) {
      // Go's Walk reads a directory before asking the walk function about it, so an unreadable
      // directory fails the build even when it is excluded (only an excluded ancestor hides it).
      if (errno(error) === 'EACCES' || errno(error) === 'EPERM') throw new ContextCheckError(`can't stat '${absDir}'`, absDir, 'permission')
      if (errno(error) === 'ENOENT') throw new ContextCheckError(`file ('${absDir}') not found or excluded by .dockerignore`, absDir, 'not-found')
      throw error
    }
  }
  const visit = (absDir: string, relDir: string, entries: Dirent[]): void => {
    let searchable = false
    for (const entry of entries) {
      const abs = absDir + sep + entry.name
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`
      // Walk lstats every name; one lstat per directory tells whether the directory is searchable.
      if (!searchable) {
        try {
          lstatSync(abs)
          searchable = true
        } catch (error) {
          if (errno(error) === 'EACCES' || errno(error) === 'EPERM') throw new ContextCheckError(`can't stat '${abs}'`, abs, 'permission')
          if (errno(error) === 'ENOENT') continue
          throw error
        }
      }
      if (entry.isDirectory()) {
        const children = readDir(abs)
        if (matcher.matchesOrParentMatches(rel)) continue
        visit(abs, rel, children)
        continue
      }
      if (matcher.matchesOrParentMatches(rel)) continue
      // Symlinks (even dangling) and FIFOs (open would block) are not opened.
      if (entry.isSymbolicLink() || entry.isFIFO()) continue
      try {
        // Docker opens the file to see whether it may read it; access(R_OK) asks the kernel the same
        // permission question in one syscall instead of two (open + close).
        accessSync(abs, fsConstants.R_OK)
      } catch (error) {
        if (errno(error) === 'EACCES' || errno(error) === 'EPERM') throw new ContextCheckError(`no permission to read from '${abs}'`, abs, 'permission')
      }
    }
  }
  visit(root, '', readDir(root))
}

export interface WalkOptions {
  /** Called for entries Docker logs and skips (unreadable directories inside a walked subtree, …). */
  onWarning?: (warning: WalkWarning) => void
  /**
   * Called for every path the walk leaves out. `pruned` is true for an excluded directory Docker does
   * not even enter (everything below it is left out unseen).
   */
  onExcluded?: (path: string, isDir: boolean, absPath: string, pruned: boolean) => void
}

interface Frame {
  absDir: string
  relDir: string
  info: MatchInfo
  entries: Dirent[]
  index: number
}

/**
 * go-archive's tar walk as a lazy iterator of entries (headers only; the packer reads contents).
 * `patterns` is the matcher with the always-send exceptions already appended.
 */
export function* walkContext(root: string, matcher: PatternMatcher, options: WalkOptions = {}): Generator<ContextEntry> {
  const seenInodes = new Map<bigint, string>()
  const exceptionPrefixes = exceptionPrefixesOf(matcher)
  const stack: Frame[] = []
  const open = (absDir: string, relDir: string, info: MatchInfo): void => {
    try {
      stack.push({absDir, relDir, info, entries: readSorted(absDir), index: 0})
    } catch (error) {
      // Docker logs "Can't stat file … to tar" and goes on with the next sibling.
      options.onWarning?.({path: relDir || '.', message: `cannot read directory: ${(error as Error).message}`})
    }
  }
  open(root, '', undefined)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.index >= frame.entries.length) {
      stack.pop()
      continue
    }
    const dirent = frame.entries[frame.index++]
    const rel = frame.relDir === '' ? dirent.name : `${frame.relDir}/${dirent.name}`
    const abs = frame.absDir + sep + dirent.name
    const isDir = dirent.isDirectory()
    const decision = matcher.matchesUsingParentResults(rel, frame.info)
    if (decision.excluded) {
      // A directory is walked into (without an entry) only when an exception names a path below it, textually.
      const walkedInto = isDir && isWalkedInto(matcher, exceptionPrefixes, rel)
      options.onExcluded?.(rel, isDir, abs, isDir && !walkedInto)
      if (walkedInto) open(abs, rel, decision.info)
      continue
    }
    if (dirent.isSocket()) continue // archive/tar refuses sockets; Docker logs and skips them.
    let stat: Stats
    try {
      stat = lstatSync(abs)
    } catch (error) {
      options.onWarning?.({path: rel, message: `cannot stat: ${(error as Error).message}`})
      continue
    }
    const entry = entryFromStat(rel, abs, stat, decision.decidedBy, seenInodes, options)
    if (entry) yield entry
    if (isDir) open(abs, rel, decision.info)
  }
}

/** go-archive's pruning test for an excluded directory: some exception, as text plus `/`, starts with `<dir>/`. */
export function isWalkedInto(matcher: PatternMatcher, exceptionPrefixes: string[], rel: string): boolean {
  if (!matcher.exclusions) return false
  const dirSlash = `${rel}/`
  return exceptionPrefixes.some((prefix) => prefix.startsWith(dirSlash))
}

/** The textual prefixes `isWalkedInto` tests: every exception pattern plus `/`. */
export function exceptionPrefixesOf(matcher: PatternMatcher): string[] {
  return matcher.patterns.filter((p) => p.exclusion).map((p) => `${p.cleaned}/`)
}

/**
 * Whole seconds of the mtime, as Go's Truncate(time.Second) gives them (a floor for any Unix time).
 * The float `mtimeMs` is exact enough except within a fraction of a microsecond below a whole second,
 * where it may round up; only then is the exact nanosecond value fetched.
 */
function wholeSeconds(stat: Stats, abs: string): number {
  const seconds = Math.floor(stat.mtimeMs / 1000)
  const fraction = stat.mtimeMs - seconds * 1000
  if (fraction > 0.001 && fraction < 999.999) return seconds
  const ns = lstatSync(abs, {bigint: true}).mtimeNs
  const whole = ns / 1_000_000_000n
  return Number(ns < 0n && whole * 1_000_000_000n !== ns ? whole - 1n : whole)
}

function entryFromStat(
  rel: string,
  abs: string,
  stat: Stats,
  decidedBy: number,
  seenInodes: Map<bigint, string>,
  options: WalkOptions,
): ContextEntry | undefined {
  const fileType = stat.mode & S_IFMT
  const mode = stat.mode & 0o7777
  const base = {path: rel, absPath: abs, mode, size: 0, diskSize: stat.size, mtime: wholeSeconds(stat, abs), decidedBy}
  let entry: ContextEntry
  switch (fileType) {
    case fsConstants.S_IFDIR:
      return {...base, type: 'dir', diskSize: 0}
    case fsConstants.S_IFREG:
      entry = {...base, type: 'file', size: stat.size}
      break
    case fsConstants.S_IFLNK: {
      let target: string
      try {
        target = readlinkRaw(abs)
      } catch (error) {
        options.onWarning?.({path: rel, message: `cannot read link: ${(error as Error).message}`})
        return undefined
      }
      entry = {...base, type: 'symlink', linkTarget: target, diskSize: 0}
      break
    }
    case fsConstants.S_IFIFO:
      entry = {...base, type: 'fifo', diskSize: 0}
      break
    case fsConstants.S_IFCHR:
    case fsConstants.S_IFBLK: {
      // unix.Major / unix.Minor of glibc's dev_t encoding (exact 64-bit value).
      const rdev = lstatSync(abs, {bigint: true}).rdev
      entry = {
        ...base,
        type: fileType === fsConstants.S_IFCHR ? 'char' : 'block',
        diskSize: 0,
        devmajor: Number(((rdev & 0xfff00n) >> 8n) | ((rdev & 0xfffff00000000000n) >> 32n)),
        devminor: Number((rdev & 0xffn) | ((rdev & 0xffffff00000n) >> 12n)),
      }
      break
    }
    default:
      return undefined // sockets and unknown types: archive/tar refuses them, Docker skips them
  }
  // A name with more than one link: the first one sent carries the content, later ones point to it.
  if (stat.nlink > 1) {
    // Inode numbers can exceed 2^53: key on the exact value.
    const ino = (lstatSync(abs, {bigint: true}) as BigIntStats).ino
    const first = seenInodes.get(ino)
    if (first !== undefined) return {...entry, type: 'hardlink', size: 0, linkTarget: first}
    seenInodes.set(ino, rel)
  }
  return entry
}

/** The raw link target (bytes as UTF-8), never resolved. */
function readlinkRaw(abs: string): string {
  return readlinkSync(abs, {encoding: 'utf8'})
}

/** The tar typeflag of an entry type. */
export function typeflagOf(type: EntryType): TarTypeflag {
  switch (type) {
    case 'file':
      return '0'
    case 'hardlink':
      return '1'
    case 'symlink':
      return '2'
    case 'char':
      return '3'
    case 'block':
      return '4'
    case 'dir':
      return '5'
    default:
      return '6'
  }
}
