import {triggerOf} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER'])

export const onbuildTrigger: Rule = {
  id: 'DK102',
  name: 'onbuild-trigger',
  summary: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER',
  severity: 'error',
  aliases: ['hadolint:DL3043', 'dockerfile-utils:ONBUILD_CHAINING_DISALLOWED', 'dockerfile-utils:ONBUILD_TRIGGER_DISALLOWED'],
  fixable: false,
  docs: {
    why: 'ONBUILD stores an instruction that runs when another Dockerfile builds FROM this image. Docker refuses to chain ONBUILD ONBUILD, and FROM or MAINTAINER make no sense as triggers: the child image already has its FROM.',
    bad: 'FROM busybox\nONBUILD FROM busybox\n',
    good: 'FROM busybox\nONBUILD COPY . /app\n',
  },
  check({model, report}) {
    for (const instruction of model.ast.getInstructions()) {
      const trigger = triggerOf(instruction)
      if (!trigger) continue
      const word = trigger.getKeyword()
      if (!FORBIDDEN.has(word)) continue
      report({
        range: instruction.getTriggerRange() ?? trigger.getInstructionRange(),
        message: word === 'ONBUILD' ? 'ONBUILD cannot be chained (ONBUILD ONBUILD)' : `${word} is not allowed as an ONBUILD trigger`,
      })
    }
  },
}
