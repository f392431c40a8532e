import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import {findExercise, loadDefinition} from '../../src/exercises/catalog.js'
import {checkLine} from '../../src/exercises/render.js'
import {assertScaffolded} from '../../src/exercises/runner.js'
import {exerciseDir} from '../../src/exercises/scaffold.js'
import {hintFor, resolveExercise, verifyWorkshopExercise} from '../../src/exercises/service.js'
import {watchFolder} from '../../src/exercises/watch.js'

export default class ExerciseWatch extends DkCommand {
  static summary = 'Re-check your work as you edit: fast checks on every save, engine checks on a key press'
  static description = `Watches the exercise folder. On every change it runs the checks that need no engine (lint, build context). Keys (in a terminal): v runs the full verify against the engine (builds and containers take a while, so never on every save), h shows the next hint, q quits. File events come from fs.watch; where they are unreliable (network drives, some VM mounts) pass --poll to check the files every second.`

  static examples = [
    {description: 'Watch the current exercise', command: '<%= config.bin %> exercise watch'},
    {description: 'Watch exercise 3 with polling', command: '<%= config.bin %> exercise watch 3 --poll'},
  ]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number or slug (default: the current one)', required: false}),
  }

  static flags = {
    ...engineFlags,
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
    poll: Flags.boolean({description: 'poll the files every second instead of using file events'}),
  }

  async run(): Promise<{exercise: number; fastRuns: number; verifyRuns: number; passed: boolean}> {
    const {args, flags} = await this.parse(ExerciseWatch)
    const meta = await findExercise(String((await resolveExercise(args.exercise, flags.dir)).id))
    await assertScaffolded(meta, flags.dir)
    const def = await loadDefinition(meta)
    const fast = def.fast ?? []
    const c = out()
    const interactive = Boolean(process.stdin.isTTY) && !this.jsonEnabled()
    let fastRuns = 0
    let verifyRuns = 0
    let passed = false
    let busy = false

    const runChecks = async (full: boolean) => {
      if (busy) return
      busy = true
      try {
        this.say(c.dim(`\n── ${new Date().toLocaleTimeString()} ${full ? 'verify (engine checks)' : 'fast checks'}`))
        const report = await verifyWorkshopExercise(String(meta.id), flags.dir, {
          host: flags.host,
          only: full ? undefined : fast,
          onCheck: (r) => this.say(checkLine(r, meta.id)),
        })
        if (full) {
          verifyRuns++
          passed = report.passed
          this.say(report.passed ? c.green(`Exercise ${meta.id} passed. Next: dk exercise ${meta.id + 1}`) : `Not yet.${interactive ? ' Edit and save, then press v again.' : ''}`)
        } else fastRuns++
      } catch (error) {
        this.say(c.red((error as Error).message))
      } finally {
        busy = false
      }
    }

    this.say(`Watching ${exerciseDir(flags.dir, meta)} (exercise ${meta.id}: ${meta.title}).`)
    if (fast.length === 0) this.say(c.dim('This exercise has no fast checks: every check needs the engine.'))
    if (interactive) this.say(c.dim('Keys: v verify against the engine, h next hint, q quit.'))
    if (fast.length) await runChecks(false)

    const watcher = watchFolder(exerciseDir(flags.dir, meta), () => void (fast.length ? runChecks(false) : this.say(c.dim('Changed. Press v to verify.'))), {poll: flags.poll})
    if (watcher.mode === 'polling' && !flags.poll) this.say(c.dim('File events are not available here: polling every second.'))

    await new Promise<void>((resolve) => {
      const stop = () => {
        watcher.close()
        if (interactive) process.stdin.setRawMode(false)
        process.stdin.pause()
        resolve()
      }
      process.once('SIGINT', stop)
      if (!interactive) return
      process.stdin.setRawMode(true)
      process.stdin.resume()
      process.stdin.on('data', (key: Buffer) => {
        const k = key.toString('utf8')
        if (k === 'q' || k === '\u0003') stop()
        else if (k === 'v') void runChecks(true)
        else if (k === 'h')
          void hintFor(String(meta.id), flags.dir, undefined).then((h) => this.say(`\n${c.bold(`Hint ${h.level}/3:`)} ${h.hint}`))
      })
    })
    return {exercise: meta.id, fastRuns, verifyRuns, passed}
  }
}
