import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {ExitCode} from '../src/cli/exit-codes.js'
import {err, symbols} from '../src/cli/output.js'
import {connectEngine} from '../src/engine/connect.js'
import {type RemoveResult, removeImages} from '../src/engine/images.js'

export default class Rmi extends DkCommand {
  static summary = 'Remove images, like `docker rmi`'
  static description = `Each name is untagged; the image is deleted when no tag is left (with its untagged parents). dk goes on after a failure, as docker does, and reports each image.

--json data: an array of {name, untagged[], deleted[], error?}. Exit codes: 0 all removed; 1 one could not be removed (in use: see -f); 4 every failure was a missing image.`

  static examples = [
    {description: 'Remove a tag (and the image when it was the last tag)', command: '<%= config.bin %> rmi memcached'},
    {description: 'Remove an image that a stopped container still uses', command: '<%= config.bin %> rmi -f memcached'},
  ]

  static strict = false

  static args = {
    image: Args.string({ignoreStdin: true, description: 'Image name[:tag] or id (several allowed)', required: true}),
  }

  static flags = {
    ...engineFlags,
    force: Flags.boolean({char: 'f', description: 'Remove even when containers use the image or it has several tags'}),
  }

  async run(): Promise<RemoveResult[]> {
    const {argv, flags} = await this.parse(Rmi)
    const engine = await connectEngine({host: flags.host})
    const results = await removeImages(engine, argv as string[], {force: flags.force})
    const failed = results.filter((r) => r.error)
    for (const result of results) {
      for (const tag of result.untagged) this.say(`Untagged: ${tag}`)
      for (const id of result.deleted) this.say(`Deleted: ${id}`)
      if (result.error && !this.jsonEnabled()) {
        process.stderr.write(`${err().red(symbols().fail)} ${result.error.message}\n`)
        if (result.error.hint) process.stderr.write(`  ${err().dim('hint:')} ${result.error.hint}\n`)
      }
    }
    if (failed.length > 0) this.failWith(failed.every((r) => r.error?.exitCode === ExitCode.NotFound) ? ExitCode.NotFound : ExitCode.Failed)
    return results
  }
}
