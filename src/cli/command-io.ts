/**
 * What every dk command promises its caller, in one oclif-free module so that the oclif base
 * command (base-command.ts) and the fast path (fast-path.ts) render results and errors with the
 * same code:
 *
 * 1. **Errors → exit codes.** A DkError prints `✗ message` plus its hint (no stack) and exits with
 *    its code; any other error is a bug: one line, and its stack only when DEBUG is set. (oclif's
 *    own parse errors are classified in base-command.ts, the only place that can see oclif's
 *    classes, and then rendered here.)
 * 2. **The --json envelope**, one shape for every command (documented in README):
 *    `{"ok": true, "command": "doctor", "exitCode": 0, "data": {…}, "warnings": []}` on success,
 *    `{"ok": false, "command": "…", "exitCode": N, "data"?: {…}, "error": {"code", "message", "hint"?,
 *    "location"?}, "warnings": []}` on failure. Exactly one JSON document on stdout, nothing else.
 * 3. **Work that failed but still has a report** (lint findings, a failed verify, a red doctor):
 *    the command calls `io.failWith(1)` and returns its data; the envelope says ok=false.
 */
import {DkError} from './errors.js'
import {ExitCode} from './exit-codes.js'
import {err as errColor, symbols} from './output.js'

export interface JsonEnvelope<T = unknown> {
  ok: boolean
  command: string
  exitCode: number
  data?: T
  error?: {code: string; message: string; hint?: string; location?: string; details?: Record<string, unknown>}
  warnings: string[]
}

/** An error as the user sees it. */
export interface DescribedError {
  exitCode: number
  code: string
  message: string
  hint?: string
  location?: string
  details?: Record<string, unknown>
}

/** A DkError as it is; anything else is a bug in dk. */
export function describeError(error: Error): DescribedError {
  if (error instanceof DkError) {
    return {exitCode: error.exitCode, code: error.code, message: error.message, hint: error.hint, location: error.location, details: error.details}
  }
  const message = error.message || String(error)
  return {
    exitCode: ExitCode.Failed,
    code: 'INTERNAL',
    message: `Unexpected error: ${message}`,
    hint: process.env.DEBUG ? undefined : 'Run again with DEBUG=dk to see the stack trace; please report it if it persists.',
  }
}

/** One compact document per line is what tools (jq, CI) expect; pretty only on a TTY. */
export function writeJson(json: unknown): void {
  process.stdout.write(`${process.stdout.isTTY ? JSON.stringify(json, null, 2) : JSON.stringify(json)}\n`)
}

/**
 * What a command body uses to talk to the user, and the bookkeeping behind the envelope. One per
 * run. `json` is asked each time rather than stored, because oclif decides it from its argv.
 */
export class CommandIO {
  private exitCodeOverride: number | undefined
  private readonly warningsList: string[] = []

  constructor(
    /** The command id as oclif names it (`exercise:verify`), used in the envelope. */
    readonly command: string,
    private readonly isJson: () => boolean,
    /** Read only when a body asks (the fast path then reads package.json). */
    private readonly versionOf: () => string,
  ) {}

  get json(): boolean {
    return this.isJson()
  }

  /** dk's version, for formats that name their tool (SARIF). */
  get version(): string {
    return this.versionOf()
  }

  /** Mark the run as failed (exit code) while still returning a report. */
  failWith(code: number = ExitCode.Failed): void {
    this.exitCodeOverride = code
  }

  /** A warning: on stderr in text mode, in the envelope's `warnings` in --json mode. */
  note(message: string): void {
    this.warningsList.push(message)
    if (!this.json) process.stderr.write(`${errColor().yellow(symbols().warn)} ${message}\n`)
  }

  /** Write a line to stdout unless --json is on (then the envelope is the only output). */
  say(message = ''): void {
    if (!this.json) process.stdout.write(`${message}\n`)
  }

  successEnvelope(result: unknown): JsonEnvelope {
    const exitCode = this.exitCodeOverride ?? ExitCode.Ok
    return {ok: exitCode === 0, command: this.command, exitCode, data: result, warnings: this.warningsList}
  }

  /** After a body returned: the exit code it asked for, if any. */
  settle(): void {
    if (this.exitCodeOverride !== undefined) process.exitCode = this.exitCodeOverride
  }

  /** After a body threw: set the exit code and tell the user (text on stderr, or the envelope). */
  fail(error: Error, rendered: DescribedError = describeError(error)): void {
    process.exitCode = rendered.exitCode
    if (this.json) {
      const envelope: JsonEnvelope = {
        ok: false,
        command: this.command,
        exitCode: rendered.exitCode,
        error: {code: rendered.code, message: rendered.message, hint: rendered.hint, location: rendered.location, details: rendered.details},
        warnings: this.warningsList,
      }
      writeJson(envelope)
      return
    }
    const c = errColor()
    const where = rendered.location ? `${rendered.location}: ` : ''
    process.stderr.write(`${c.red(symbols().fail)} ${where}${rendered.message}\n`)
    if (rendered.hint) process.stderr.write(`  ${c.dim('hint:')} ${rendered.hint}\n`)
    if (process.env.DEBUG && error.stack) process.stderr.write(`${c.dim(error.stack)}\n`)
  }
}
