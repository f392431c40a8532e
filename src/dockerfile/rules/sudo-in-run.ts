import {runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {commandsNamed} from '../shell.js'
import {positionAt} from '../source-text.js'

export const sudoInRun: Rule = {
  id: 'DK211',
  name: 'sudo-in-run',
  summary: 'sudo in RUN: the build already runs as root; switch users with USER',
  severity: 'warning',
  aliases: ['hadolint:DL3004', 'dockerfilelint:sudo_usage'],
  fixable: false,
  docs: {
    why:
      'RUN executes as root unless a USER instruction said otherwise, so sudo adds nothing but a package and a config file to ' +
      'your image. If you switched to an unprivileged user, sudo will prompt for a password nobody can type and the build hangs ' +
      'or fails. Do the root work before USER, or switch back with `USER root` around it. (For a process that must start as ' +
      'root and drop privileges at run time, use gosu or su-exec.)',
    bad: 'FROM debian:bookworm\nRUN sudo apt-get update',
    good: 'FROM debian:bookworm\nRUN apt-get update',
  },
  check({model, report}) {
    for (const {script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      for (const {argv} of commandsNamed(script, 'sudo', false)) {
        report({
          range: {start: positionAt(script.source, argv[0].start), end: positionAt(script.source, argv[0].end)},
          message: 'sudo in RUN: the build runs as root already (use USER to change users)',
        })
      }
    }
  },
}
