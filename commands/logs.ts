import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {UsageError} from '../src/cli/errors.js'
import {connectEngine} from '../src/engine/connect.js'
import {streamLogs} from '../src/engine/containers.js'

export default class Logs extends DkCommand {
  static summary = 'Show a container\'s output: its stdout on stdout, its stderr on stderr'
  static description = `The logs are streamed (never held in memory). With -f dk keeps following until the container stops or you press Ctrl-C. --json is not offered: the output is the container's own.

Exit codes: 0 done; 4 no such container; 3 engine unreachable.`

  static enableJsonFlag = false

  static examples = [
    {description: 'Everything web printed', command: '<%= config.bin %> logs web'},
    {description: 'The last 20 lines, then follow, with timestamps', command: '<%= config.bin %> logs -f -t --tail 20 web'},
  ]

  static args = {container: Args.string({ignoreStdin: true, description: 'Container name or id', required: true})}
  static flags = {
    follow: Flags.boolean({char: 'f', description: 'Follow log output'}),
    tail: Flags.string({char: 'n', description: 'Number of lines to show from the end of the logs (default "all")'}),
    timestamps: Flags.boolean({char: 't', description: 'Show timestamps'}),
    ...engineFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logs)
    if (flags.tail !== undefined && flags.tail !== 'all' && !/^\d+$/.test(flags.tail)) {
      throw new UsageError(`Invalid --tail "${flags.tail}".`, {hint: 'Give a number of lines or "all".'})
    }
    const engine = await connectEngine({host: flags.host})
    await streamLogs(engine, args.container, {follow: flags.follow, tail: flags.tail, timestamps: flags.timestamps}, process.stdout, process.stderr)
  }
}
