import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import {solveWorkshopExercise} from '../../src/exercises/service.js'

export default class ExerciseSolve extends DkCommand {
  static summary = 'Catch up: apply the reference solution of an exercise and do what its task asks'
  static description = 'Lays the reference solution over your files (overwriting them) and runs what the task asks (build, tag, run), so that later exercises that need its images can go on. Recorded as skipped, not done.'

  static examples = [{description: 'Catch up on exercise 2 to start exercise 3', command: '<%= config.bin %> exercise solve 2'}]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number or slug', required: true}),
  }

  static flags = {
    ...engineFlags,
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
  }

  async run(): Promise<{exercise: number; files: string[]; dir: string}> {
    const {args, flags} = await this.parse(ExerciseSolve)
    const result = await solveWorkshopExercise(args.exercise, flags.dir, flags.host)
    this.say(`${out().green(`Exercise ${result.exercise} solved with the reference solution`)} (recorded as skipped).`)
    this.say(`Files in ${result.dir}: ${result.files.join(', ') || '(none)'}`)
    return result
  }
}
