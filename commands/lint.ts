import {DkCommand} from '../src/cli/base-command.js'
import {lint} from '../src/cli/commands/lint.js'
import {oclifArgs, oclifFlags} from '../src/cli/oclif-spec.js'

// The definition (help, flags, body) is src/cli/commands/lint.ts, shared with the fast path.
export default class Lint extends DkCommand {
  static summary = lint.summary
  static description = lint.description
  static examples = lint.examples
  static strict = lint.strict ?? true
  static args = oclifArgs(lint.args)
  static flags = oclifFlags(lint.flags)

  async run(): Promise<unknown> {
    return this.runSpec(lint)
  }
}
