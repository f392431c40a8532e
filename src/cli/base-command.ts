/**
 * The base of every dk command. It owns three contracts so that commands stay thin:
 *
 * 1. **Errors → exit codes.** A DkError prints `✗ message` plus its hint (no stack) and exits with
 *    its code; oclif's parse errors exit 2 with a suggestion; any other error is a bug: one line,
 *    and its stack only when DEBUG is set. oclif alone would exit 1 for every error in --json mode.
 * 2. **The --json envelope**, one shape for every command (documented in README):
 *    `{"ok": true, "command": "doctor", "exitCode": 0, "data": {…}, "warnings": []}` on success,
 *    `{"ok": false, "command": "…", "exitCode": N, "data"?: {…}, "error": {"code", "message", "hint"?,
 *    "location"?}, "warnings": []}` on failure. Exactly one JSON document on stdout, nothing else.
 * 3. **Work that failed but still has a report** (lint findings, a failed verify, a red doctor):
 *    the command calls `this.failWith(1)` and returns its data; the envelope says ok=false.
 */
import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import {DkError} from './errors.js'
import {ExitCode} from './exit-codes.js'
import {err as errColor, symbols} from './output.js'
import {closest} from './suggest.js'

export interface JsonEnvelope<T = unknown> {
  ok: boolean
  command: string
  exitCode: number
  data?: T
  error?: {code: string; message: string; hint?: string; location?: string; details?: Record<string, unknown>}
  warnings: string[]
}

/** The flag that points dk at an engine; engine commands spread it into their flags. */
export const engineFlags = {
  host: Flags.string({
    char: 'H',
    description: 'Docker engine to talk to (unix:///path, tcp://host:port, ssh://user@host); default: DOCKER_HOST, the docker CLI context, then the local socket',
    helpGroup: 'ENGINE',
  }),
}

export abstract class DkCommand extends Command {
  static enableJsonFlag = true

  private exitCodeOverride: number | undefined
  private readonly warningsList: string[] = []

  /** Mark the run as failed (exit code) while still returning a report. */
  protected failWith(code: number = ExitCode.Failed): void {
    this.exitCodeOverride = code
  }

  /** A warning: on stderr in text mode, in the envelope's `warnings` in --json mode. */
  protected note(message: string): void {
    this.warningsList.push(message)
    if (!this.jsonEnabled()) process.stderr.write(`${errColor().yellow(symbols().warn)} ${message}\n`)
  }

  /** Write a line to stdout unless --json is on (then the envelope is the only output). */
  protected say(message = ''): void {
    if (!this.jsonEnabled()) process.stdout.write(`${message}\n`)
  }

  protected toSuccessJson(result: unknown): JsonEnvelope {
    const exitCode = this.exitCodeOverride ?? ExitCode.Ok
    return {ok: exitCode === 0, command: this.id ?? '', exitCode, data: result, warnings: this.warningsList}
  }

  protected async finally(error: Error | undefined): Promise<unknown> {
    if (!error && this.exitCodeOverride !== undefined) process.exitCode = this.exitCodeOverride
    return super.finally(error)
  }

  protected logJson(json: unknown): void {
    // One compact document per line is what tools (jq, CI) expect; pretty only on a TTY.
    process.stdout.write(`${process.stdout.isTTY ? JSON.stringify(json, null, 2) : JSON.stringify(json)}\n`)
  }

  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const rendered = this.describe(error)
    process.exitCode = rendered.exitCode
    if (this.jsonEnabled()) {
      const envelope: JsonEnvelope = {
        ok: false,
        command: this.id ?? '',
        exitCode: rendered.exitCode,
        error: {code: rendered.code, message: rendered.message, hint: rendered.hint, location: rendered.location, details: rendered.details},
        warnings: this.warningsList,
      }
      this.logJson(envelope)
      return
    }
    const c = errColor()
    const where = rendered.location ? `${rendered.location}: ` : ''
    process.stderr.write(`${c.red(symbols().fail)} ${where}${rendered.message}\n`)
    if (rendered.hint) process.stderr.write(`  ${c.dim('hint:')} ${rendered.hint}\n`)
    if (process.env.DEBUG && error.stack) process.stderr.write(`${c.dim(error.stack)}\n`)
  }

  /** Turn any error into what the user sees. */
  private describe(error: Error & {exitCode?: number; oclif?: {exit?: number}}): {
    exitCode: number
    code: string
    message: string
    hint?: string
    location?: string
    details?: Record<string, unknown>
  } {
    if (error instanceof DkError) {
      return {exitCode: error.exitCode, code: error.code, message: error.message, hint: error.hint, location: error.location, details: error.details}
    }
    if (error instanceof Errors.ExitError) {
      return {exitCode: error.oclif.exit ?? 0, code: 'EXIT', message: error.message}
    }
    if (error instanceof Errors.CLIError && typeof error.oclif?.exit === 'number') {
      // Parse errors (unknown flag, missing argument, bad option value) are usage errors.
      // oclif's parse errors can span lines ("The following error occurred:\n  --a cannot also be
      // provided when using --b"); keep them all but the generic help pointer, which the hint replaces.
      const message = error.message
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !/^See more help with/i.test(line))
        .join(' ')
        .replace(/^The following errors? occurred: /, '')
      return {exitCode: ExitCode.Usage, code: 'USAGE', message, hint: this.usageHint(error)}
    }
    const message = error.message || String(error)
    return {
      exitCode: ExitCode.Failed,
      code: 'INTERNAL',
      message: `Unexpected error: ${message}`,
      hint: process.env.DEBUG ? undefined : 'Run again with DEBUG=dk to see the stack trace; please report it if it persists.',
    }
  }

  private usageHint(error: Error & {flags?: string[]}): string {
    const ctor = this.constructor as unknown as {flags?: Interfaces.FlagInput; baseFlags?: Interfaces.FlagInput}
    const known = Object.entries({...ctor.baseFlags, ...ctor.flags}).flatMap(([name, flag]) => {
      const char = (flag as {char?: string}).char
      return char ? [`--${name}`, `-${char}`] : [`--${name}`]
    })
    known.push('--json', '--help')
    for (const bad of error.flags ?? []) {
      const guess = closest(bad.split('=')[0], known)
      if (guess) return `Did you mean ${guess}? See \`dk ${this.id?.replaceAll(':', ' ')} --help\`.`
    }
    return `See \`dk ${this.id?.replaceAll(':', ' ') ?? ''} --help\` for usage.`
  }
}
