import {Args, Flags} from '@oclif/core'

import {DkCommand} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import {solutionFor, type SolutionResult} from '../../src/exercises/service.js'

export default class ExerciseSolution extends DkCommand {
  static summary = 'Show the reference solution of an exercise'
  static description = 'Shown once the exercise has passed. Before that only with --reveal, which is recorded in the workshop progress (an instructor sees it in `dk exercise status`). Exit code 1 when the solution is still locked.'

  static examples = [
    {description: 'After a pass', command: '<%= config.bin %> exercise solution 3'},
    {description: 'Before a pass (recorded)', command: '<%= config.bin %> exercise solution 3 --reveal'},
  ]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number or slug (default: the current one)', required: false}),
  }

  static flags = {
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
    reveal: Flags.boolean({description: 'show it before you passed (recorded as revealed)'}),
  }

  async run(): Promise<SolutionResult> {
    const {args, flags} = await this.parse(ExerciseSolution)
    const result = await solutionFor(args.exercise, flags.dir, flags.reveal)
    const c = out()
    for (const file of result.files) this.say(`${c.bold(`── ${file.path}`)}\n${file.content.trimEnd()}\n`)
    if (result.revealed) this.note('Recorded as revealed before a pass.')
    return result
  }
}
