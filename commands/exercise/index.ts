import {Args, Flags} from '@oclif/core'

import {DkCommand} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import {listWorkshop, openExercise, type OpenResult} from '../../src/exercises/service.js'

export default class Exercise extends DkCommand {
  static summary = 'Start an exercise: scaffold its files, print the concept and the task'
  static description = `Copies the exercise's files into DIR/NN-slug/ (a file you already changed is never overwritten), makes it the current exercise and prints its README: the concept, the task and what \`dk exercise verify\` checks. Without a number, opens the next exercise you have not done.`

  static examples = [
    {description: 'Start the first exercise in the current folder', command: '<%= config.bin %> exercise 1'},
    {description: 'Start exercise 3 in ~/workshop', command: '<%= config.bin %> exercise 3 --dir ~/workshop'},
    {description: 'Open the next one you have not done', command: '<%= config.bin %> exercise'},
  ]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number (1–13) or slug', required: false}),
  }

  static flags = {
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
  }

  async run(): Promise<OpenResult> {
    const {args, flags} = await this.parse(Exercise)
    let which = args.exercise
    if (which === undefined) {
      const list = await listWorkshop(flags.dir)
      which = String(list.next ?? list.exercises.at(-1)?.id ?? 1)
    }
    const result = await openExercise(which, flags.dir)
    const c = out()
    this.say(result.readme.trimEnd())
    this.say()
    const written = result.scaffold.written.length ? `wrote ${result.scaffold.written.join(', ')}` : 'no new files'
    const kept = result.scaffold.kept.length ? `; kept your ${result.scaffold.kept.join(', ')}` : ''
    this.say(c.dim(`Your files: ${result.dir} (${written}${kept})`))
    this.say(c.dim(`Your token: ${result.token}`))
    this.say(`When you are done: ${c.bold(`dk exercise verify${flags.dir === '.' ? '' : ` --dir ${flags.dir}`}`)}   stuck? ${c.bold('dk exercise hint')}`)
    return result
  }
}
