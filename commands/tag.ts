import {Args} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {connectEngine} from '../src/engine/connect.js'
import {tagImage} from '../src/engine/images.js'

export default class Tag extends DkCommand {
  static summary = 'Give an image another name, like `docker tag`'
  static description = `TARGET is NAME[:TAG] (tag "latest" when omitted). An existing TARGET moves to the new image.

--json data: {source, target, id}. Exit codes: 0 tagged; 2 invalid TARGET; 4 no such SOURCE.`

  static examples = [
    {description: 'Name an image for a colleague', command: '<%= config.bin %> tag memcached workshop/memcached:1.0'},
    {description: 'Tag by id', command: '<%= config.bin %> tag 3092e3fe5f6d mybusybox'},
  ]

  static args = {
    source: Args.string({ignoreStdin: true, description: 'Existing image: name[:tag] or id', required: true}),
    target: Args.string({ignoreStdin: true, description: 'New name[:tag]', required: true}),
  }

  static flags = {...engineFlags}

  async run(): Promise<{source: string; target: string; id: string}> {
    const {args, flags} = await this.parse(Tag)
    const engine = await connectEngine({host: flags.host})
    const result = await tagImage(engine, args.source, args.target)
    this.say(`Tagged ${result.target}`)
    return result
  }
}
