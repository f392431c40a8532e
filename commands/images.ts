import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {ago, humanSize, table} from '../src/cli/output.js'
import {connectEngine} from '../src/engine/connect.js'
import {type ImageRow, listImages} from '../src/engine/images.js'

export default class Images extends DkCommand {
  static summary = 'List images, like `docker images`'
  static description = `One row per tag, newest first; untagged images show as <none>. REPO[:TAG] narrows the list the way Docker's reference filter does (wildcards allowed: "dkt-*").

--json data: an array of {repository, tag, id, shortId, created, size, labels}; created is ISO 8601, size in bytes.`

  static examples = [
    {description: 'All tagged and dangling images', command: '<%= config.bin %> images'},
    {description: 'Only busybox images', command: '<%= config.bin %> images busybox'},
    {description: 'Ids only, for scripts', command: '<%= config.bin %> images -q'},
    {description: 'Images dk made', command: '<%= config.bin %> images --filter label=io.dk.managed=true'},
  ]

  static args = {
    reference: Args.string({ignoreStdin: true, description: 'REPOSITORY[:TAG] to show'}),
  }

  static flags = {
    ...engineFlags,
    all: Flags.boolean({char: 'a', description: 'Show intermediate images too'}),
    quiet: Flags.boolean({char: 'q', description: 'Only show image ids'}),
    filter: Flags.string({char: 'f', description: 'Engine filter key=value: dangling=true, label=k=v, before=IMAGE, since=IMAGE (repeatable)', multiple: true, multipleNonGreedy: true}),
    'no-trunc': Flags.boolean({description: 'Show full image ids'}),
  }

  async run(): Promise<ImageRow[]> {
    const {args, flags} = await this.parse(Images)
    const engine = await connectEngine({host: flags.host})
    const rows = await listImages(engine, {reference: args.reference, all: flags.all, filters: flags.filter})
    const id = (row: ImageRow) => (flags['no-trunc'] ? row.id : row.shortId)
    if (flags.quiet) {
      for (const row of rows) this.say(id(row))
    } else {
      const now = Date.now()
      this.say(
        table(
          ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
          rows.map((row) => [row.repository, row.tag, id(row), ago(new Date(row.created), now), humanSize(row.size)]),
        ),
      )
    }
    return rows
  }
}
