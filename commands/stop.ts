import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import type {DkError} from '../src/cli/errors.js'
import {connectEngine} from '../src/engine/connect.js'
import {stopContainer} from '../src/engine/containers.js'
import {eachContainer, type EachResult} from '../src/engine/each-container.js'

export default class Stop extends DkCommand {
  static summary = 'Stop one or more running containers (SIGTERM, then SIGKILL after the timeout)'
  static description = `Prints each container as named once it has stopped, like \`docker stop\`. Stopping a stopped container is not an error. Names, short ids and full ids are accepted.

Exit codes: 0 all stopped; 4 a container does not exist (the others are still stopped); 1 another failure; 3 engine unreachable.`

  static examples = [
    {description: 'Stop web, giving it 10 seconds', command: '<%= config.bin %> stop web'},
    {description: 'Stop two at once, killing after 2 seconds', command: '<%= config.bin %> stop -t 2 web db'},
  ]

  static strict = false
  static args = {container: Args.string({ignoreStdin: true, description: 'Container name or id (several allowed)', required: true})}
  static flags = {
    time: Flags.integer({char: 't', description: 'Seconds to wait before killing it (default: the container\'s --stop-timeout, else 10)'}),
    ...engineFlags,
  }

  async run(): Promise<EachResult> {
    const {flags, argv} = await this.parse(Stop)
    const engine = await connectEngine({host: flags.host})
    const result = await eachContainer(argv as string[], (c) => stopContainer(engine, c, flags.time), (c) => this.say(c), (c, e) => this.report(c, e))
    if (result.failed.length > 0) this.failWith(result.exitCode)
    return result
  }

  private report(container: string, error: DkError): void {
    this.note(`${container}: ${error.message}`)
  }
}
