import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {connectEngine} from '../src/engine/connect.js'
import {removeContainer} from '../src/engine/containers.js'
import {eachContainer, type EachResult} from '../src/engine/each-container.js'

export default class Rm extends DkCommand {
  static summary = 'Remove one or more containers'
  static description = `Prints each container as named once it is removed, like \`docker rm\`. A running container needs -f. -v also removes its anonymous volumes (named volumes stay).

Exit codes: 0 all removed; 4 a container does not exist; 1 another failure (e.g. running without -f); 3 engine unreachable.`

  static examples = [
    {description: 'Remove a stopped container', command: '<%= config.bin %> rm web'},
    {description: 'Stop and remove, with its anonymous volumes', command: '<%= config.bin %> rm -fv web'},
  ]

  static strict = false
  static args = {container: Args.string({ignoreStdin: true, description: 'Container name or id (several allowed)', required: true})}
  static flags = {
    force: Flags.boolean({char: 'f', description: 'Force the removal of a running container (uses SIGKILL)'}),
    volumes: Flags.boolean({char: 'v', description: 'Remove anonymous volumes associated with the container'}),
    ...engineFlags,
  }

  async run(): Promise<EachResult> {
    const {flags, argv} = await this.parse(Rm)
    const engine = await connectEngine({host: flags.host})
    const result = await eachContainer(
      argv as string[],
      (c) => removeContainer(engine, c, {force: flags.force, volumes: flags.volumes}),
      (c) => this.say(c),
      (c, e) => this.note(`${c}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`),
    )
    if (result.failed.length > 0) this.failWith(result.exitCode)
    return result
  }
}
