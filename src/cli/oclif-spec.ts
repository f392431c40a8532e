/**
 * CommandSpec data → oclif's flag and arg objects, for the static `flags`/`args` of the adapter
 * classes in commands/. Only the options that are set are passed on, so that the result is the
 * object a hand-written `Flags.string({...})` would give (same help, same manifest).
 */
import {Args, Flags} from '@oclif/core'
import type {Arg, BooleanFlag, OptionFlag} from '@oclif/core/interfaces'

import type {ArgSpec, FlagSpec} from './command-spec.js'

type Char = Parameters<typeof Flags.string>[0] extends infer O ? (O extends {char?: infer C} ? C : never) : never

function defined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T
}

export function oclifFlag(spec: FlagSpec): BooleanFlag<boolean> | OptionFlag<string | string[] | undefined> {
  const common = {char: spec.char as Char, description: spec.description, helpGroup: spec.helpGroup}
  if (spec.type === 'boolean') return Flags.boolean(defined(common)) as BooleanFlag<boolean>
  const options = defined({
    ...common,
    default: spec.default,
    options: spec.options ? [...spec.options] : undefined,
    multiple: spec.multiple,
    multipleNonGreedy: spec.multipleNonGreedy,
  })
  return Flags.string(options as Parameters<typeof Flags.string>[0]) as OptionFlag<string | string[] | undefined>
}

export function oclifFlags(specs: Record<string, FlagSpec>): Record<string, BooleanFlag<boolean> | OptionFlag<string | string[] | undefined>> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, oclifFlag(spec)]))
}

export function oclifArgs(specs: Record<string, ArgSpec>): Record<string, Arg<string | undefined>> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, Args.string(defined({description: spec.description, required: spec.required, default: spec.default, ignoreStdin: spec.ignoreStdin}))]),
  )
}
