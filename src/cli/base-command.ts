/**
 * The base of every dk command under oclif. The contracts it keeps (errors → exit codes, the --json
 * envelope, `failWith` for a failed run that still has a report) live in command-io.ts, shared
 * with the fast path; what stays here is what only oclif knows: its parse errors are usage errors
 * (exit 2, with a "Did you mean" hint), which oclif alone would exit 1 for in --json mode.
 */
import {Command, Errors, Interfaces} from '@oclif/core'

import {CommandIO, type DescribedError, describeError, writeJson} from './command-io.js'
import type {ArgSpec, CommandInput, CommandSpec, FlagSpec} from './command-spec.js'
import {engineFlagSpecs} from './command-spec.js'
import {ExitCode} from './exit-codes.js'
import {oclifArgs, oclifFlags} from './oclif-spec.js'
import {closest} from './suggest.js'

export type {JsonEnvelope} from './command-io.js'

/** The flag that points dk at an engine; engine commands spread it into their flags. */
export const engineFlags = oclifFlags(engineFlagSpecs) as {host: Interfaces.OptionFlag<string | undefined>}

export abstract class DkCommand extends Command {
  static enableJsonFlag = true

  private io_: CommandIO | undefined

  /** What command bodies use to talk to the user; the same object the fast path hands them. */
  protected get io(): CommandIO {
    this.io_ ??= new CommandIO(this.id ?? '', () => this.jsonEnabled(), () => this.config.version)
    return this.io_
  }

  /** Mark the run as failed (exit code) while still returning a report. */
  protected failWith(code: number = ExitCode.Failed): void {
    this.io.failWith(code)
  }

  /** A warning: on stderr in text mode, in the envelope's `warnings` in --json mode. */
  protected note(message: string): void {
    this.io.note(message)
  }

  /** Write a line to stdout unless --json is on (then the envelope is the only output). */
  protected say(message = ''): void {
    this.io.say(message)
  }

  /** The body of a command written as a CommandSpec (see command-spec.ts), run under oclif. */
  protected async runSpec<F extends Record<string, FlagSpec>, A extends Record<string, ArgSpec>, R>(spec: CommandSpec<F, A, R>): Promise<R> {
    const {args, argv, flags} = await this.parse()
    return spec.run({args, argv, flags} as unknown as CommandInput<F, A>, this.io)
  }

  protected toSuccessJson(result: unknown): ReturnType<CommandIO['successEnvelope']> {
    return this.io.successEnvelope(result)
  }

  protected async finally(error: Error | undefined): Promise<unknown> {
    if (!error) this.io.settle()
    return super.finally(error)
  }

  protected logJson(json: unknown): void {
    writeJson(json)
  }

  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    this.io.fail(error, this.describe(error))
    return undefined
  }

  /** Turn any error into what the user sees. */
  private describe(error: Error & {exitCode?: number; oclif?: {exit?: number}}): DescribedError {
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
    return describeError(error)
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

/**
 * The oclif command for a CommandSpec: help, flags and args from the definition, and its body as
 * `run()`. `commands/<id>.ts` default-exports this, so a hot command is defined once.
 */
export function oclifCommand<F extends Record<string, FlagSpec>, A extends Record<string, ArgSpec>, R>(spec: CommandSpec<F, A, R>): typeof DkCommand {
  return class extends DkCommand {
    static summary = spec.summary
    static description = spec.description
    static examples = spec.examples
    static strict = spec.strict ?? true
    static args = oclifArgs(spec.args)
    static flags = oclifFlags(spec.flags)

    async run(): Promise<unknown> {
      return this.runSpec(spec)
    }
  }
}

