import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {ago, humanSize, table} from '../src/cli/output.js'
import {connectEngine} from '../src/engine/connect.js'
import {ellipsis, type HistoryRow, imageHistory, shortId} from '../src/engine/images.js'

export default class History extends DkCommand {
  static summary = 'Show how an image was built, layer by layer, like `docker history`'
  static description = `Newest layer first. <missing> marks layers built elsewhere (loaded or pulled): their ids are not kept locally. CREATED BY is cut at 45 characters unless --no-trunc.

--json data: an array of {id, created, createdBy, size, comment, tags}.`

  static examples = [
    {description: 'The layers of an image', command: '<%= config.bin %> history memcached'},
    {description: 'Full commands', command: '<%= config.bin %> history --no-trunc memcached'},
  ]

  static args = {
    image: Args.string({ignoreStdin: true, description: 'Image name[:tag] or id', required: true}),
  }

  static flags = {
    ...engineFlags,
    'no-trunc': Flags.boolean({description: 'Do not cut long commands; show full ids'}),
    quiet: Flags.boolean({char: 'q', description: 'Only show layer image ids'}),
  }

  async run(): Promise<HistoryRow[]> {
    const {args, flags} = await this.parse(History)
    const engine = await connectEngine({host: flags.host})
    const rows = await imageHistory(engine, args.image)
    const full = flags['no-trunc']
    const id = (row: HistoryRow) => (row.id === '<missing>' || full ? row.id : shortId(row.id))
    if (flags.quiet) {
      for (const row of rows) this.say(id(row))
      return rows
    }
    const now = Date.now()
    this.say(
      table(
        ['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
        rows.map((row) => {
          const createdBy = row.createdBy.replaceAll('\t', ' ')
          return [id(row), ago(new Date(row.created), now), full ? createdBy : ellipsis(createdBy, 45), humanSize(row.size), row.comment]
        }),
      ),
    )
    return rows
  }
}
