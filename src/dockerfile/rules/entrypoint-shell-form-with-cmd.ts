import type {Instruction} from '../syntax.js'

import {execForm} from '../exec-form.js'
import type {DockerfileModel, Rule, Stage} from '../rule.js'

/** The ENTRYPOINT in effect in a stage: its own last one, else its base stage's. */
function effectiveEntrypoint(model: DockerfileModel, stage: Stage): Instruction | undefined {
  const own = stage.instructions.filter((i) => i.getKeyword() === 'ENTRYPOINT').at(-1)
  if (own) return own
  return stage.baseStage === undefined ? undefined : effectiveEntrypoint(model, model.stages[stage.baseStage])
}

export const entrypointShellFormWithCmd: Rule = {
  id: 'DK306',
  name: 'entrypoint-shell-form-with-cmd',
  summary: 'ENTRYPOINT in shell form with a CMD: the CMD is silently ignored',
  severity: 'warning',
  aliases: [],
  fixable: false,
  docs: {
    why:
      'An exec-form ENTRYPOINT receives CMD as its arguments: that is how `ENTRYPOINT ["memcached"]` + `CMD ["-u", "daemon"]` ' +
      'gives a default that `docker run image -p 11212` can override. A shell-form ENTRYPOINT is run as `/bin/sh -c "…"` ' +
      'and everything after it, CMD and `docker run` arguments alike, is dropped. Write the ENTRYPOINT in exec form.',
    bad: 'FROM debian:bookworm\nENTRYPOINT memcached\nCMD ["-u", "daemon"]',
    good: 'FROM debian:bookworm\nENTRYPOINT ["memcached"]\nCMD ["-u", "daemon"]',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      const cmd = stage.instructions.filter((i) => i.getKeyword() === 'CMD').at(-1)
      if (!cmd) continue
      const entrypoint = effectiveEntrypoint(model, stage)
      if (!entrypoint || execForm(model, entrypoint)) continue
      report({
        range: cmd.getInstructionRange(),
        message: `This CMD is ignored: the ENTRYPOINT on line ${entrypoint.getRange().start.line + 1} is in shell form and drops all arguments; write the ENTRYPOINT in exec form`,
      })
    }
  },
}
