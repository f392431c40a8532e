import {Flags} from '@oclif/core'

import {DkCommand} from '../../src/cli/base-command.js'
import {out, table} from '../../src/cli/output.js'
import {rollCall, type RollCall} from '../../src/exercises/service.js'

export default class ExerciseStatus extends DkCommand {
  static summary = 'Workshop progress for an instructor\'s roll call'
  static description = 'Per exercise: status, attempts, last result, hints seen, whether the solution was revealed or the exercise skipped, and the evidence of the last pass (image ids…). Use --json to collect it from every attendee.'

  static examples = [
    {description: 'Progress in the current folder', command: '<%= config.bin %> exercise status'},
    {description: 'As JSON', command: '<%= config.bin %> exercise status --json --dir ~/workshop'},
  ]

  static flags = {
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
  }

  async run(): Promise<RollCall> {
    const {flags} = await this.parse(ExerciseStatus)
    const result = await rollCall(flags.dir)
    const c = out()
    const rows = result.exercises.map((e) => [
      String(e.id),
      e.slug,
      e.status === 'done' ? c.green('done') : e.status === 'skipped' ? c.yellow('skipped') : 'todo',
      String(e.attempts),
      e.lastResult ?? '-',
      e.hintsSeen.join(',') || '-',
      e.revealedAt ? 'yes' : '-',
    ])
    this.say(table(['#', 'EXERCISE', 'STATUS', 'ATTEMPTS', 'LAST', 'HINTS', 'REVEALED'], rows, {alignRight: [0, 3]}))
    this.say(`\n${result.done} done, ${result.skipped} skipped, ${result.total - result.done - result.skipped} to do${result.token ? `  (token ${result.token})` : ''}`)
    return result
  }
}
