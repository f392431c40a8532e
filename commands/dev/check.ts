import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../../src/cli/base-command.js'
import {out, symbols} from '../../src/cli/output.js'
import {devCheck, type DevCheckReport} from '../../src/exercises/devcheck.js'

export default class DevCheck extends DkCommand {
  static summary = 'Self-test of the workshop exercises against the Docker engine (for dk\'s authors and CI)'
  static description = `For every exercise (or the ones named), in a fresh temp workshop folder: the untouched scaffold must fail verify; each test/wrong-* attempt must fail in the check its expect.yaml names, with its reason; solve must make verify pass, twice in a row; reset must bring the scaffold back and leave none of dk's containers, images or volumes for it. Ends with "N passed, M failed". Exit codes: 0 all passed, 1 an exercise failed, 3 engine unreachable.`

  static strict = false

  static examples = [
    {description: 'Check every exercise', command: '<%= config.bin %> dev check'},
    {description: 'Check exercises 3 and 4, as JSON', command: '<%= config.bin %> dev check 3 4 --json'},
  ]

  static args = {
    exercises: Args.string({ignoreStdin: true, description: 'exercise numbers or slugs (default: all)', required: false}),
  }

  static flags = {
    ...engineFlags,
    keep: Flags.boolean({description: 'keep the temp workshop folders (for debugging)'}),
  }

  async run(): Promise<DevCheckReport> {
    const {argv, flags} = await this.parse(DevCheck)
    const c = out()
    const s = symbols()
    const report = await devCheck(argv as string[], {
      host: flags.host,
      keep: flags.keep,
      onStep: (meta, step) => {
        const mark = step.ok ? c.green(s.ok) : c.red(s.fail)
        this.say(`${mark} ${String(meta.id).padStart(2, '0')} ${step.step}${c.dim(` (${(step.ms / 1000).toFixed(1)} s)`)}${step.detail && !step.ok ? `\n     ${step.detail}` : step.detail ? c.dim(`  ${step.detail}`) : ''}`)
      },
      onExercise: (result) => this.say(`${result.ok ? c.green('PASS') : c.red('FAIL')} exercise ${result.id} ${result.slug} (${(result.ms / 1000).toFixed(1)} s)\n`),
    })
    this.say(`${report.passed} passed, ${report.failed} failed (${(report.ms / 1000).toFixed(1)} s)`)
    if (report.failed > 0) this.failWith(1)
    return report
  }
}
