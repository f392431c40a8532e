import {DkCommand} from '../src/cli/base-command.js'
import {load} from '../src/cli/commands/load.js'
import {oclifFlags} from '../src/cli/oclif-spec.js'

// The definition (help, flags, body) is src/cli/commands/load.ts, shared with the fast path.
export default class Load extends DkCommand {
  static summary = load.summary
  static description = load.description
  static examples = load.examples
  static flags = oclifFlags(load.flags)

  async run(): Promise<unknown> {
    return this.runSpec(load)
  }
}
