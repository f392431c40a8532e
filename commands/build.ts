import {DkCommand} from '../src/cli/base-command.js'
import {build} from '../src/cli/commands/build.js'
import {oclifArgs, oclifFlags} from '../src/cli/oclif-spec.js'

export type {BuildJson} from '../src/cli/commands/build.js'

// The definition (help, flags, body) is src/cli/commands/build.ts, shared with the fast path.
export default class Build extends DkCommand {
  static summary = build.summary
  static description = build.description
  static examples = build.examples
  static args = oclifArgs(build.args)
  static flags = oclifFlags(build.flags)

  async run(): Promise<unknown> {
    return this.runSpec(build)
  }
}
