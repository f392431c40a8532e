import {Flags} from '@oclif/core'

import {DkCommand} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import {renderList} from '../../src/exercises/render.js'
import {listWorkshop, openExercise, type ListResult} from '../../src/exercises/service.js'

export default class ExerciseMenu extends DkCommand {
  static summary = 'Pick an exercise from a menu (what `dk` alone shows)'
  static description = 'On a terminal: a menu of the exercises with their status (todo, done, skipped) and minutes, the next one selected; Enter starts it (as `dk exercise N`). Without a terminal (or with --json): the same as `dk exercise list`.'

  static examples = [
    {description: 'The menu', command: '<%= config.bin %>'},
    {description: 'The menu for another workshop folder', command: '<%= config.bin %> exercise menu --dir ~/workshop'},
  ]

  static flags = {
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
  }

  async run(): Promise<ListResult & {opened?: number}> {
    const {flags} = await this.parse(ExerciseMenu)
    const list = await listWorkshop(flags.dir)
    if (this.jsonEnabled() || !process.stdin.isTTY || !process.stdout.isTTY) {
      this.say(renderList(list))
      this.say(out().dim('\nAll commands: dk --help'))
      return list
    }
    const c = out()
    const {default: select} = await import('@inquirer/select')
    const badge = (status: string) => (status === 'done' ? c.green('done') : status === 'skipped' ? c.yellow('skipped') : c.dim('todo'))
    const chosen = await select<number | 'quit'>({
      message: `dk workshop: ${list.remainingMinutes} min of exercises left. Pick one (dk --help lists every command):`,
      default: list.next,
      pageSize: 15,
      choices: [
        ...list.exercises.map((e) => ({
          value: e.id,
          name: `${String(e.id).padStart(2)}  ${e.next ? c.bold(e.title) : e.title}  ${c.dim(`${e.minutes} min`)}  ${badge(e.status)}${e.next ? c.cyan('  ← next') : ''}`,
        })),
        {value: 'quit' as const, name: 'Quit'},
      ],
    })
    if (chosen === 'quit') return list
    const opened = await openExercise(String(chosen), flags.dir)
    this.say(`\n${opened.readme.trimEnd()}\n`)
    this.say(c.dim(`Your files: ${opened.dir}`))
    this.say(`When you are done: ${c.bold('dk exercise verify')}   stuck? ${c.bold('dk exercise hint')}`)
    return {...list, opened: chosen}
  }
}
