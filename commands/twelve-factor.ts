import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {ExitCode} from '../src/cli/exit-codes.js'
import type {TwelveFactorReport} from '../src/twelve/report.js'

export default class TwelveFactor extends DkCommand {
  static summary = 'Report card: how far an app is from the twelve-factor rules a Deis/Heroku-like platform expects'

  static description = `Checks DIR factor by factor (I Codebase … XII Admin processes): pass, warn, fail or not checked, each with its evidence and the fix.
Static checks read the files: the Dockerfile (lint under --profile deis, one EXPOSE, CMD), dependency lock files, committed secrets (also against what the build context would send), the Procfile, log files.
With --run, dk builds DIR (or uses --image) and starts it like a platform: two replicas with a random PORT and config value, published on 127.0.0.1; it probes them, reads their logs, diffs their file system and stops them with a 3 s grace period. Everything it starts is removed afterwards.
Apps declare how to probe them with labels: io.dk.twelve-factor.config-var, .probe-path, .protocol (http|tcp), .tcp-send.
Exit code 0 when no factor fails, 1 otherwise.`

  static examples = [
    {description: 'Static checks on the current folder', command: '<%= config.bin %> twelve-factor .'},
    {description: 'Build and run it too', command: '<%= config.bin %> twelve-factor . --run'},
    {description: 'Check an existing image; the app shows GREETING at /hello', command: '<%= config.bin %> twelve-factor --image web:1 --run --config-var GREETING --probe-path /hello'},
    {description: 'Machine-readable report', command: '<%= config.bin %> twelve-factor . --run --json'},
  ]

  static args = {
    dir: Args.string({ignoreStdin: true, description: 'Project folder (holds the Dockerfile); default "." unless --image is given'}),
  }

  static flags = {
    ...engineFlags,
    image: Flags.string({description: 'Check this image instead of building DIR (the static checks still run when DIR is given)'}),
    run: Flags.boolean({description: 'Start the app and run the dynamic checks (builds DIR unless --image)', default: false}),
    'probe-path': Flags.string({description: 'HTTP path where the config value shows (default: label io.dk.twelve-factor.probe-path, else /)'}),
    'config-var': Flags.string({description: 'Environment variable the app reads its config from (default: label io.dk.twelve-factor.config-var)'}),
    protocol: Flags.string({description: 'How to probe the app (default: label io.dk.twelve-factor.protocol, else http)', options: ['http', 'tcp']}),
    file: Flags.string({char: 'f', description: 'Dockerfile name inside DIR', default: 'Dockerfile'}),
    verbose: Flags.boolean({char: 'v', description: 'Show the evidence of passing checks too', default: false}),
  }

  async run(): Promise<TwelveFactorReport> {
    const {args, flags} = await this.parse(TwelveFactor)
    const {audit} = await import('../src/twelve/audit.js')
    const {renderReport} = await import('../src/twelve/render.js')
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    let report: TwelveFactorReport
    try {
      report = await audit({
        dir: args.dir ?? (flags.image ? undefined : '.'),
        dockerfile: flags.file,
        image: flags.image,
        run: flags.run,
        host: flags.host,
        probePath: flags['probe-path'],
        configVar: flags['config-var'],
        protocol: flags.protocol,
        signal: controller.signal,
        onStep: (message) => {
          if (!this.jsonEnabled()) process.stderr.write(`${message}\n`)
        },
      })
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
    this.say(renderReport(report, {verbose: flags.verbose}))
    if (!report.ok) this.failWith(ExitCode.Failed)
    return report
  }
}
