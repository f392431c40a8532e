import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../../src/cli/base-command.js'
import {out} from '../../src/cli/output.js'
import type {VerifyReport} from '../../src/exercises/model.js'
import {checkLine} from '../../src/exercises/render.js'
import {resolveExercise, verifyWorkshopExercise} from '../../src/exercises/service.js'

export default class ExerciseVerify extends DkCommand {
  static summary = 'Check your work on an exercise against the Docker engine'
  static description = `Runs the exercise's checks in order and prints a checklist: ✓ passed, ✗ failed (with the reason and the hint that helps), ! an environment problem that is not your fault (engine down, base image missing, an earlier exercise not done), – skipped because an earlier check failed. dk builds and runs your files under its own names and removes everything it made afterwards.

Exit codes: 0 all checks passed; 1 a check failed or the environment is not ready; 3 the engine is unreachable; 4 the exercise folder does not exist.`

  static examples = [
    {description: 'Verify the current exercise', command: '<%= config.bin %> exercise verify'},
    {description: 'Verify exercise 3, as JSON', command: '<%= config.bin %> exercise verify 3 --json'},
  ]

  static args = {
    exercise: Args.string({ignoreStdin: true, description: 'exercise number or slug (default: the current one)', required: false}),
  }

  static flags = {
    ...engineFlags,
    dir: Flags.string({description: 'the workshop folder', default: '.'}),
  }

  async run(): Promise<VerifyReport> {
    const {args, flags} = await this.parse(ExerciseVerify)
    const meta = await resolveExercise(args.exercise, flags.dir)
    const report = await verifyWorkshopExercise(String(meta.id), flags.dir, {
      host: flags.host,
      onCheck: (result) => {
        if (this.jsonEnabled()) return
        this.say(checkLine(result, meta.id))
      },
    })
    if (!report.passed) this.failWith(1)
    const c = out()
    if (report.passed) this.say(c.green(`\nExercise ${report.exercise.id} passed (${(report.ms / 1000).toFixed(1)} s). Next: dk exercise ${report.exercise.id + 1}`))
    else if (report.environmentProblem) this.say(c.yellow(`\nThe machine is not ready for exercise ${report.exercise.id}: fix the problem above and verify again.`))
    else {
      const failed = report.checks.filter((r) => r.status === 'fail').length
      this.say(`\n${failed} check${failed === 1 ? '' : 's'} failed. Stuck? ${c.bold(`dk exercise hint ${report.exercise.id}`)}`)
    }
    return report
  }
}
