import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {ExitCode} from '../src/cli/exit-codes.js'
import {out, symbols} from '../src/cli/output.js'
import {connectEngine} from '../src/engine/connect.js'
import {type DoctorReport, runDoctor} from '../src/workshop/doctor.js'

export default class Doctor extends DkCommand {
  static summary = 'Check that this machine is ready for the workshop'
  static description = `Checks the Docker engine (reachable, version, storage driver, classic builder), free disk under the engine's root, the workshop's base images, and that published ports answer on 127.0.0.1 (it starts one tiny labelled container and removes it). Every failure comes with its fix.

Exit codes: 0 everything needed is there; 1 something needed is missing; 3 no engine answers.`

  static examples = [
    {description: 'Check everything', command: '<%= config.bin %> doctor'},
    {description: 'Machine-readable, for an instructor\'s script', command: '<%= config.bin %> doctor --json'},
    {description: 'Check a remote engine', command: '<%= config.bin %> doctor --host tcp://10.0.0.5:2375'},
  ]

  static flags = {
    ...engineFlags,
  }

  async run(): Promise<DoctorReport> {
    const {flags} = await this.parse(Doctor)
    const engine = await connectEngine({host: flags.host})
    const report = await runDoctor(engine)
    if (!report.ready) this.failWith(ExitCode.Failed)
    if (!this.jsonEnabled()) this.render(report)
    return report
  }

  private render(report: DoctorReport): void {
    const c = out()
    const s = symbols()
    const mark = {ok: c.green(s.ok), warn: c.yellow(s.warn), fail: c.red(s.fail), skip: c.dim(s.skip)}
    for (const check of report.checks) {
      this.say(`${mark[check.status]} ${check.title}: ${check.status === 'ok' ? check.detail : c.bold(check.detail)}`)
      if (check.fix && check.status !== 'ok') this.say(`    ${c.dim('fix:')} ${check.fix}`)
    }
    this.say()
    this.say(report.ready ? c.green('Ready for the workshop.') : c.red('Not ready yet: fix what is marked above, then run `dk doctor` again.'))
  }
}
