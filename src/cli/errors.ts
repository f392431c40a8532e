/**
 * dk's error family. An expected error (the user can fix it) carries a message, a hint and an exit
 * code, and prints without a stack; anything else is a bug and shows its stack only with DEBUG.
 * Modules in src/ throw these; the base command renders them (text or the --json envelope).
 */
import {ExitCode} from './exit-codes.js'

export interface DkErrorOptions {
  /** What to do about it, one or two short sentences. */
  hint?: string
  /** Process exit code; see exit-codes.ts. */
  exitCode?: number
  /** Stable machine-readable code for --json consumers, e.g. ENGINE_UNREACHABLE. */
  code?: string
  /** Where it happened, e.g. "Dockerfile:3:1". */
  location?: string
  cause?: unknown
  /** Extra structured details for --json. */
  details?: Record<string, unknown>
}

export class DkError extends Error {
  readonly hint?: string
  readonly exitCode: number
  readonly code: string
  readonly location?: string
  readonly details?: Record<string, unknown>

  constructor(message: string, options: DkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.hint = options.hint
    this.exitCode = options.exitCode ?? ExitCode.Failed
    this.code = options.code ?? 'FAILED'
    this.location = options.location
    this.details = options.details
  }
}

/** The command line itself is wrong (exit 2). */
export class UsageError extends DkError {
  constructor(message: string, options: Omit<DkErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'USAGE', ...options, exitCode: ExitCode.Usage})
  }
}

/** No engine answered (exit 3). */
export class EngineUnreachableError extends DkError {
  constructor(message: string, options: Omit<DkErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'ENGINE_UNREACHABLE', ...options, exitCode: ExitCode.EngineUnreachable})
  }
}

/** A file, directory, image or container that the user named does not exist or can't be read (exit 4). */
export class NotFoundError extends DkError {
  constructor(message: string, options: Omit<DkErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'NOT_FOUND', ...options, exitCode: ExitCode.NotFound})
  }
}

/** The work itself failed (exit 1): a build step, a verify, a refused context. */
export class WorkFailedError extends DkError {
  constructor(message: string, options: Omit<DkErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'FAILED', ...options, exitCode: ExitCode.Failed})
  }
}

/** The user interrupted (Ctrl-C); exit 130 like a shell. */
export class InterruptedError extends DkError {
  constructor(message = 'Interrupted.', options: Omit<DkErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'INTERRUPTED', ...options, exitCode: ExitCode.Interrupted})
  }
}

/** Node's errno codes that mean "the file is not there / not readable" → dk's NotFoundError. */
export function fileError(error: unknown, path: string, what = 'file'): DkError {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return new NotFoundError(`${capitalise(what)} not found: ${path}`, {hint: 'Check the path and try again.', cause: error})
  if (code === 'EACCES' || code === 'EPERM')
    return new NotFoundError(`Cannot read ${what} ${path}: permission denied`, {hint: 'Check its permissions, or run dk as a user who can read it.', cause: error})
  if (code === 'EISDIR') return new NotFoundError(`${capitalise(what)} is a directory: ${path}`, {cause: error})
  if (code === 'ENOTDIR') return new NotFoundError(`Not a directory: ${path}`, {cause: error})
  return new DkError(`Cannot use ${what} ${path}: ${(error as Error)?.message ?? String(error)}`, {cause: error})
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
