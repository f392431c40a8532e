/**
 * `planContext`: everything the docker CLI decides before the first byte of the context is sent
 * (docker/cli `cli/command/image/build.go` and `build/context.go`, legacy builder):
 * the context directory (absolute, symlinks resolved, must be a directory), the Dockerfile (default
 * `Dockerfile`, lowercase `dockerfile` fallback, `-f` resolved against the current directory and
 * through symlinks, outside the context or from stdin → a `.dockerfile.<hex>` entry), the
 * `.dockerignore` patterns, the validation walk, and the always-send exceptions.
 */
import {lstatSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {isAbsolute, join, relative, resolve, sep} from 'node:path'

import {DkError, NotFoundError, UsageError, WorkFailedError} from '../cli/errors.js'
import {DockerignoreReadError, parseDockerignore} from './dockerignore.js'
import {goClean} from './go-compat.js'
import {PatternMatcher, PatternSyntaxError, type RawPattern} from './pattern-matcher.js'
import {ContextCheckError, validateContext} from './walk.js'

export interface PlanOptions {
  /** `-f`: resolved against `cwd` (not the context), like the docker CLI. `-` means stdin. */
  dockerfile?: string
  /** The Dockerfile's bytes when it comes from stdin (`-f -`). */
  dockerfileContent?: Buffer
  /** Directory `-f` is resolved against (default: process.cwd()). */
  cwd?: string
  /** Skip the validation walk (only for callers that validated already). */
  skipValidation?: boolean
}

export interface DockerfileInfo {
  /** Absolute path with symlinks resolved; undefined when read from stdin. */
  path?: string
  /** Path relative to the context as Docker computes it (`../x` when outside, `-` for stdin). */
  relative: string
  /** Outside the context or from stdin: sent as an extra `.dockerfile.<hex>` entry. */
  injected: boolean
  /** The Dockerfile bytes when injected. */
  content?: Buffer
}

export interface DockerignoreInfo {
  /** Absolute path of `<context>/.dockerignore`. */
  path: string
  exists: boolean
  /** The raw bytes (needed when Docker rewrites the file in the stream for an injected Dockerfile). */
  content?: Buffer
  /** Patterns in file order, with their line numbers. */
  patterns: RawPattern[]
}

export interface ContextPlan {
  /** Absolute context directory, symlinks resolved. */
  dir: string
  dockerfile: DockerfileInfo
  dockerignore: DockerignoreInfo
  /** The value for the `dockerfile` query parameter of POST /build. */
  dockerfileQueryPath: string
  /** The matcher the tar walk uses: `.dockerignore` patterns plus the always-send exceptions. */
  matcher: PatternMatcher
  /** The matcher of `.dockerignore` alone (what validation and `--why` explain). */
  ignoreMatcher: PatternMatcher
  /** Which files the always-send rule protects (they matched a pattern and get a `!` exception). */
  alwaysSent: {dockerignore: boolean; dockerfile: boolean}
  /** `.dockerfile.<20 hex>` when the Dockerfile is injected into the stream. */
  injectedName?: string
}

const ALWAYS_SENT_FILE = '(always sent)'

/** Read `.dockerignore`, compile and validate like the docker CLI. */
export async function planContext(dir: string, options: PlanOptions = {}): Promise<ContextPlan> {
  const cwd = options.cwd ?? process.cwd()
  const contextDir = resolveContextDir(dir, cwd)
  const fromStdin = options.dockerfile === '-' || (options.dockerfile === undefined && options.dockerfileContent !== undefined)
  const dockerfile = fromStdin ? stdinDockerfile(options.dockerfileContent) : resolveDockerfile(contextDir, options.dockerfile, cwd)
  const dockerignore = readDockerignore(contextDir)

  const ignoreMatcher = compileMatcher(dockerignore.patterns)
  if (!options.skipValidation) {
    try {
      validateContext(contextDir, ignoreMatcher)
    } catch (error) {
      throw contextError(error, contextDir)
    }
  }

  // TrimBuildFilesFromExcludes: protect the two files when the (one-parent) Matches says they are excluded.
  const patterns = [...dockerignore.patterns]
  const alwaysSent = {dockerignore: false, dockerfile: false}
  if (safeMatchesOneParent(dockerignore.patterns, '.dockerignore')) {
    alwaysSent.dockerignore = true
    patterns.push({pattern: '!.dockerignore', origin: {file: ALWAYS_SENT_FILE, line: 0, text: '!.dockerignore'}})
  }
  if (!fromStdin) {
    const rel = dockerfile.relative.split(sep).join('/')
    if (safeMatchesOneParent(patterns, rel)) {
      alwaysSent.dockerfile = true
      patterns.push({pattern: `!${rel}`, origin: {file: ALWAYS_SENT_FILE, line: 0, text: `!${rel}`}})
    }
  }
  const matcher = compileMatcher(patterns)

  let injectedName: string | undefined
  if (dockerfile.injected) injectedName = `.dockerfile.${randomId().slice(0, 20)}`
  const dockerfileQueryPath = injectedName ?? dockerfile.relative.split(sep).join('/')
  return {dir: contextDir, dockerfile, dockerignore, dockerfileQueryPath, matcher, ignoreMatcher, alwaysSent, injectedName}
}

/** Whether a pattern list came from dk's always-send rule rather than `.dockerignore`. */
export function isAlwaysSentOrigin(file: string | undefined): boolean {
  return file === ALWAYS_SENT_FILE
}

function resolveContextDir(dir: string, cwd: string): string {
  const absolute = resolve(cwd, dir)
  let real: string
  try {
    real = realpathSync(absolute)
  } catch (error) {
    throw new NotFoundError(`Context directory not found: ${dir}`, {
      hint: 'Pass the directory that holds your Dockerfile and the files it copies, e.g. `dk context .`.',
      cause: error,
      details: {docker: `unable to prepare context: path "${dir}" not found`},
    })
  }
  let isDir = false
  try {
    isDir = statSync(real).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) {
    throw new NotFoundError(`Not a directory: ${dir}`, {
      hint: 'The build context must be a directory; give a Dockerfile with -f and its directory as the context.',
      details: {docker: `unable to prepare context: path "${dir}" not found`},
    })
  }
  return real
}

function stdinDockerfile(content: Buffer | undefined): DockerfileInfo {
  if (content === undefined) throw new UsageError('-f - needs the Dockerfile on standard input.', {hint: 'Pipe it in: `dk context . -f - < Dockerfile`.'})
  return {relative: '-', injected: true, content}
}

/** docker/cli getDockerfileRelPath. */
function resolveDockerfile(contextDir: string, given: string | undefined, cwd: string): DockerfileInfo {
  let candidate: string
  if (given === undefined || given === '') {
    candidate = join(contextDir, 'Dockerfile')
    if (!exists(candidate)) {
      const lower = join(contextDir, 'dockerfile')
      if (exists(lower)) candidate = lower
    }
  } else candidate = isAbsolute(given) ? given : resolve(cwd, given)

  let real: string
  try {
    real = realpathSync(candidate)
  } catch (error) {
    throw new NotFoundError(`Dockerfile not found: ${given ?? candidate}`, {
      hint: given ? 'A -f path is relative to the current directory, not to the context (as with docker build).' : 'Create a Dockerfile in the context, or name one with -f.',
      cause: error,
      details: {docker: `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${candidate}: no such file or directory`},
    })
  }
  const rel = relative(contextDir, real)
  const outside = rel === '..' || rel.startsWith(`..${sep}`)
  if (!outside) return {path: real, relative: rel, injected: false}
  let content: Buffer
  try {
    // Docker reads the path as given (not the resolved one) when it injects the Dockerfile.
    content = readFileSync(candidate)
  } catch (error) {
    throw new NotFoundError(`Cannot read Dockerfile ${given ?? candidate}: ${(error as Error).message}`, {hint: 'Check its permissions.', cause: error})
  }
  return {path: real, relative: rel, injected: true, content}
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

function readDockerignore(contextDir: string): DockerignoreInfo {
  const path = join(contextDir, '.dockerignore')
  let content: Buffer
  try {
    // Like os.Open in the docker CLI (follows a symlink). Reading patterns never sends the file's target.
    content = readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {path, exists: false, patterns: []}
    throw new WorkFailedError(`Cannot read .dockerignore: ${(error as Error).message}`, {
      location: path,
      hint: code === 'EISDIR' ? '.dockerignore must be a file.' : 'Docker refuses the build too; fix its permissions.',
      cause: error,
      details: {docker: `open ${path}: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`},
    })
  }
  try {
    return {path, exists: true, content, patterns: parseDockerignore(content, path)}
  } catch (error) {
    if (error instanceof DockerignoreReadError) {
      throw new WorkFailedError(`${error.message}`, {location: `${path}:${error.line}`, hint: 'Split the line; Docker reads at most 64 KiB per line.'})
    }
    throw error
  }
}

function compileMatcher(patterns: RawPattern[]): PatternMatcher {
  try {
    return new PatternMatcher(patterns)
  } catch (error) {
    throw patternError(error)
  }
}

/** patternmatcher.Matches(file, patterns): a fresh matcher, the path cleaned, "." never matches. */
function safeMatchesOneParent(patterns: RawPattern[], file: string): boolean {
  try {
    const cleaned = goClean(file)
    if (cleaned === '.') return false
    return new PatternMatcher(patterns).matchesOneParent(cleaned)
  } catch {
    return false // the docker CLI ignores this error (`keep, _ := patternmatcher.Matches(...)`)
  }
}

/** A PatternSyntaxError as dk's error, pointing at the line. */
export function patternError(error: unknown): DkError | unknown {
  if (!(error instanceof PatternSyntaxError)) return error
  const origin = error.origin
  const where = origin ? (isAlwaysSentOrigin(origin.file) ? undefined : `${origin.file}:${origin.line}`) : undefined
  const hint = error.message.startsWith('illegal exclusion')
    ? 'A `!` needs a pattern after it, e.g. `!keep.txt`.'
    : 'Check brackets (`[a-z]` needs its `]`, ranges go low to high), a trailing `\\` (escape a trailing space differently), and `{`, `}`, `|`, `\\d`, which Docker passes to its regexp engine.'
  return new WorkFailedError(`error checking context: ${error.message}${origin ? `: ${JSON.stringify(origin.text.trim())}` : ''}`, {
    code: 'CONTEXT_REFUSED',
    location: where,
    hint,
    details: {docker: `error checking context: ${error.message}`, line: origin?.line, pattern: origin?.text},
  })
}

function contextError(error: unknown, contextDir: string): unknown {
  if (error instanceof PatternSyntaxError) return patternError(error)
  if (error instanceof ContextCheckError) {
    const rel = relative(contextDir, error.path) || '.'
    const what =
      error.message.startsWith('no permission') ? `cannot read ${rel}` : error.reason === 'permission' ? `cannot list ${rel} or enter its directory` : `${rel} disappeared while checking`
    return new WorkFailedError(`error checking context: ${error.message}`, {
      code: 'CONTEXT_REFUSED',
      location: rel,
      hint: `Docker refuses the whole build when it ${what}. Fix its permissions, or exclude it in .dockerignore (an unreadable directory must be excluded through a parent).`,
      details: {docker: `error checking context: ${error.message}`, path: error.path},
    })
  }
  return error
}

/** docker's stringid.GenerateRandomID: 64 hex digits whose 12-digit prefix is not all decimal. */
function randomId(): string {
  // node:crypto (~5 ms of start-up) only for an injected Dockerfile, the one case that needs it.
  const {randomBytes} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  for (;;) {
    const id = randomBytes(32).toString('hex')
    if (!/^\d{12}$/.test(id.slice(0, 12))) return id
  }
}
