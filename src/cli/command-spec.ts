/**
 * A command written once, reachable two ways. A CommandSpec holds a command's help text, flags and
 * args as plain data, and its body as `run(input, io)`; it never imports oclif. The oclif class in
 * `commands/<id>.ts` turns the data into oclif flags (oclif-spec.ts) and calls the same `run`, which
 * gives `--help`, usage errors and the manifest; `bin/run.js` can instead parse an ordinary command
 * line itself (fast-argv.ts) and call `run` without loading oclif at all (fast-path.ts).
 *
 * The data mirrors the subset of oclif's flag options dk uses; anything the fast parser does not
 * model must not be added here without teaching fast-argv.ts (and its tests) about it.
 */
import type {CommandIO} from './command-io.js'

export interface StringFlagSpec {
  type: 'string'
  description: string
  char?: string
  helpGroup?: string
  default?: string
  /** Allowed values; anything else is a usage error (oclif's message). */
  options?: readonly string[]
  /** Repeatable. Greedy unless `multipleNonGreedy`: oclif then also takes the bare words after it. */
  multiple?: boolean
  multipleNonGreedy?: boolean
}

export interface BooleanFlagSpec {
  type: 'boolean'
  description: string
  char?: string
  helpGroup?: string
}

export type FlagSpec = StringFlagSpec | BooleanFlagSpec

export interface ArgSpec {
  description: string
  required?: boolean
  default?: string
  /**
   * oclif's `ignoreStdin`. Without it, oclif takes a missing word from standard input when that is
   * not a terminal (piped text becomes the argument), and the fast path declines such command
   * lines. Every dk argument sets it: only `-` reads standard input.
   */
  ignoreStdin?: boolean
}

export interface Example {
  description: string
  command: string
}

type FlagValue<F extends FlagSpec> = F extends BooleanFlagSpec
  ? boolean | undefined
  : F extends {multiple: true}
    ? string[] | undefined
    : F extends {default: string}
      ? string
      : string | undefined

type ArgValue<A extends ArgSpec> = A extends {default: string} ? string : A extends {required: true} ? string : string | undefined

/** What oclif's parse returns, typed from the specs. Absent booleans are undefined, as in oclif. */
export interface CommandInput<F extends Record<string, FlagSpec>, A extends Record<string, ArgSpec>> {
  flags: {[K in keyof F]: FlagValue<F[K]>}
  args: {[K in keyof A]: ArgValue<A[K]>}
  /** Every positional word in order (all of them when `strict` is false). */
  argv: string[]
}

export interface CommandSpec<F extends Record<string, FlagSpec> = Record<string, FlagSpec>, A extends Record<string, ArgSpec> = Record<string, ArgSpec>, R = unknown> {
  /** oclif's id (`exercise:verify`); the envelope's `command`. */
  id: string
  summary: string
  description: string
  examples: Example[]
  /** false: extra positional words are allowed (they land in `argv`). oclif's default is true. */
  strict?: boolean
  args: A
  flags: F
  run(input: CommandInput<F, A>, io: CommandIO): Promise<R>
}

/** Identity, for type inference of the flag and arg values inside `run`. */
export function defineCommand<const F extends Record<string, FlagSpec>, const A extends Record<string, ArgSpec>, R>(spec: CommandSpec<F, A, R>): CommandSpec<F, A, R> {
  return spec
}

/** `--host/-H`, spread into the flags of every command that talks to an engine. */
export const engineFlagSpecs = {
  host: {
    type: 'string',
    char: 'H',
    description:
      'Docker engine to talk to (unix:///path, tcp://host:port, ssh://user@host); default: DOCKER_HOST, the docker CLI context, then the local socket',
    helpGroup: 'ENGINE',
  },
} as const satisfies Record<string, FlagSpec>
