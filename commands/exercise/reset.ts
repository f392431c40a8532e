import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../../src/cli/base-command.js'
import {UsageError} from '../../src/cli/errors.js'
import {out} from '../../src/cli/output.js'
import {resetWorkshop, type ResetResult} from '../../src/exercises/service.js'
import {findExercise} from '../../src/exercises/catalog.js'

export default class ExerciseReset extends DkCommand {
  static summary = 'Start an exercise over: its files back to the scaffold, dk\'s containers and images for it removed'
  static description = `Deletes the exercise folder (your changes are lost) and scaffolds it again, removes the containers, images and volumes dk made for it in this workshop folder (found by dk's labels; nothing else is touched), and clears its progress. Asks first; without a terminal, pass -y.`

  static examples = [
    {description: 'Start exercise 3 over', command: '<%= config.bin %> exercise reset 3'},
    {description: 'Start the whole workshop over, without asking', command: '<%= config.bin %> exercise reset --all -y'},
  ]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number or slug', required: false}),
  }

  static flags = {
    ...engineFlags,
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
    all: Flags.boolean({description: 'reset every exercise'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
  }

  async run(): Promise<ResetResult> {
    const {args, flags} = await this.parse(ExerciseReset)
    if (!flags.all && !args.exercise) throw new UsageError('Name the exercise to reset, or pass --all.', {hint: 'e.g. `dk exercise reset 3`.'})
    if (flags.all && args.exercise) throw new UsageError('Give either an exercise or --all, not both.')
    const what = flags.all ? 'every exercise' : `exercise ${(await findExercise(args.exercise!)).id}`
    if (!flags.yes) {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError(`Resetting ${what} deletes your files; confirm with -y when not in a terminal.`, {hint: `dk exercise reset ${flags.all ? '--all' : args.exercise} -y`})
      }
      const {default: confirm} = await import('@inquirer/confirm')
      const ok = await confirm({message: `Reset ${what}? Your files in it are deleted and dk's containers/images for it removed.`, default: false})
      if (!ok) {
        this.say('Nothing was changed.')
        return {exercises: []}
      }
    }
    const result = await resetWorkshop(args.exercise, flags.all, flags.dir, flags.host)
    for (const e of result.exercises) {
      if (e.problems.length) this.note(`exercise ${e.id}: could not remove ${e.problems.join('; ')}`)
      this.say(`${out().green('reset')} exercise ${e.id}: ${e.dir}`)
    }
    if (result.exercises.some((e) => e.problems.length)) this.failWith(1)
    return result
  }
}
