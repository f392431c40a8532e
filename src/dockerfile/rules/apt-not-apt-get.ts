import {runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {commandsNamed} from '../shell.js'
import {positionAt} from '../source-text.js'

export const aptNotAptGet: Rule = {
  id: 'DK217',
  name: 'apt-not-apt-get',
  summary: 'apt in a Dockerfile: use apt-get (apt\'s interface is for humans and may change)',
  severity: 'warning',
  aliases: ['hadolint:DL3027'],
  fixable: false,
  docs: {
    why:
      '`apt` is the friendly front-end for people at a terminal; its own man page warns that its output and behaviour may change ' +
      'between versions and that scripts should use `apt-get` and `apt-cache`, whose interface is stable. ' +
      'It also prints "WARNING: apt does not have a stable CLI interface" into every build log.',
    bad: 'FROM debian:bookworm\nRUN apt update && apt install -y curl',
    good: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl',
  },
  check({model, report}) {
    for (const {script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      for (const {argv} of commandsNamed(script, 'apt')) {
        report({
          range: {start: positionAt(script.source, argv[0].start), end: positionAt(script.source, argv[0].end)},
          message: `'apt${argv[1] ? ` ${argv[1].value}` : ''}' in a build: use apt-get (or apt-cache), whose interface is stable for scripts`,
        })
      }
    }
  },
}
