import {Args, Flags} from '@oclif/core'

import {DkCommand} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import {hintFor, type HintResult} from '../../src/exercises/service.js'

export default class ExerciseHint extends DkCommand {
  static summary = 'Show a hint for an exercise (three levels, the last close to the solution)'
  static description = 'Without --level, shows the next level you have not seen yet.'

  static examples = [
    {description: 'The next hint for the current exercise', command: '<%= config.bin %> exercise hint'},
    {description: 'The strongest hint for exercise 4', command: '<%= config.bin %> exercise hint 4 --level 3'},
  ]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number or slug (default: the current one)', required: false}),
  }

  static flags = {
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
    level: Flags.integer({description: 'hint level, 1 (gentle) to 3 (near-solution)', min: 1, max: 3}),
  }

  async run(): Promise<HintResult> {
    const {args, flags} = await this.parse(ExerciseHint)
    const result = await hintFor(args.exercise, flags.dir, flags.level)
    const c = out()
    this.say(`${c.bold(`Hint ${result.level}/3`)} for exercise ${result.exercise}:\n\n${result.hint.trimEnd()}`)
    if (result.level < 3) this.say(c.dim(`\nMore: dk exercise hint ${result.exercise} --level ${result.level + 1}`))
    return result
  }
}
