import {runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {commandsNamed} from '../shell.js'
import {positionAt} from '../source-text.js'

export const cdInRun: Rule = {
  id: 'DK212',
  name: 'cd-in-run',
  summary: 'cd in RUN: use WORKDIR to change directory',
  severity: 'warning',
  aliases: ['hadolint:DL3003'],
  fixable: false,
  docs: {
    why:
      'Each RUN starts a fresh shell in the WORKDIR, so a `cd` lasts only until the end of its RUN; the next instruction is ' +
      'back where it started, which surprises everyone once. WORKDIR changes the directory for every following instruction ' +
      'and for the container, creates it if needed, and is visible in `docker inspect`.',
    bad: 'FROM debian:bookworm\nRUN cd /usr/src/app && make',
    good: 'FROM debian:bookworm\nWORKDIR /usr/src/app\nRUN make',
  },
  check({model, report}) {
    for (const {script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      for (const {argv} of commandsNamed(script, 'cd', false)) {
        report({
          range: {start: positionAt(script.source, argv[0].start), end: positionAt(script.source, (argv[1] ?? argv[0]).end)},
          message: `cd${argv[1] ? ` ${argv[1].value}` : ''} only lasts until the end of this RUN: use WORKDIR${argv[1] && !argv[1].dynamic ? ` ${argv[1].value}` : ''}`,
        })
      }
    }
  },
}
