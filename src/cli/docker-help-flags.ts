/**
 * `dk run` and `dk exec` parse their argv themselves with Docker's grammar (options stop at the
 * image or container); these oclif flag definitions exist only so that `--help` lists Docker's flags.
 */
import {Flags, type Interfaces} from '@oclif/core'

import type {FlagDef} from '../engine/run-spec.js'

export function helpFlags(defs: FlagDef[]): Interfaces.FlagInput {
  const flags: Interfaces.FlagInput = {}
  for (const def of defs) {
    if (def.long === 'json') continue
    const common = {char: def.short as 'a' | undefined, description: def.description, helpGroup: def.long === 'host' ? 'ENGINE' : undefined}
    flags[def.long] = def.kind === 'bool' ? Flags.boolean(common) : def.kind === 'list' ? Flags.string({...common, multiple: true}) : Flags.string(common)
  }
  return flags
}
