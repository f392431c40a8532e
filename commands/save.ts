import {DkCommand} from '../src/cli/base-command.js'
import {save} from '../src/cli/commands/save.js'
import {oclifArgs, oclifFlags} from '../src/cli/oclif-spec.js'

// The definition (help, flags, body) is src/cli/commands/save.ts, shared with the fast path.
export default class Save extends DkCommand {
  static summary = save.summary
  static description = save.description
  static examples = save.examples
  static strict = save.strict ?? true
  static args = oclifArgs(save.args)
  static flags = oclifFlags(save.flags)

  async run(): Promise<unknown> {
    return this.runSpec(save)
  }
}
