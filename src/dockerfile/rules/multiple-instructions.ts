import type {Rule} from '../rule.js'
import type {Instruction} from '../syntax.js'

const SINGLETONS = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK']

export const multipleInstructions: Rule = {
  id: 'DK107',
  name: 'multiple-instructions',
  summary: 'More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage: only the last one counts',
  severity: 'warning',
  aliases: [
    'hadolint:DL4003',
    'hadolint:DL4004',
    'hadolint:DL3012',
    'buildkit:MultipleInstructionsDisallowed',
    'dockerfile-utils:MULTIPLE_INSTRUCTIONS',
  ],
  fixable: false,
  docs: {
    why: 'An image has one default command, one entrypoint and one health check. When a stage sets one twice, Docker keeps the last and silently drops the others, which is rarely what the author meant (two CMDs do not start two processes).',
    bad: 'FROM busybox\nCMD ["httpd", "-f"]\nCMD ["sh"]\n',
    good: 'FROM busybox\nCMD ["httpd", "-f"]\n',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const keyword of SINGLETONS) {
        // Count first: a stage nearly always has at most one of each, and then nothing is listed.
        let last: Instruction | undefined
        let count = 0
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== keyword) continue
          last = instruction
          count++
        }
        if (count < 2) continue
        for (const earlier of stage.instructions) {
          if (earlier.getKeyword() !== keyword || earlier === last) continue
          report({
            range: earlier.getInstructionRange(),
            message: `${keyword} is set again on line ${last!.getRange().start.line + 1}: only the last ${keyword} of a stage takes effect`,
          })
        }
      }
    }
  },
}
