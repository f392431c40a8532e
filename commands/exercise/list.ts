import {Flags} from '@oclif/core'

import {DkCommand} from '../../src/cli/base-command.js'
import {renderList} from '../../src/exercises/render.js'
import {listWorkshop, type ListResult} from '../../src/exercises/service.js'

export default class ExerciseList extends DkCommand {
  static summary = 'List the exercises with their status and minutes'
  static description = 'Status is todo, done (verify passed) or skipped (caught up with `dk exercise solve`). The next exercise to do is marked with an arrow, the current one with a star.'

  static examples = [
    {description: 'The list for the workshop in the current folder', command: '<%= config.bin %> exercise list'},
    {description: 'As JSON, for scripts', command: '<%= config.bin %> exercise list --json --dir ~/workshop'},
  ]

  static flags = {
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
  }

  async run(): Promise<ListResult> {
    const {flags} = await this.parse(ExerciseList)
    const result = await listWorkshop(flags.dir)
    this.say(renderList(result))
    return result
  }
}
