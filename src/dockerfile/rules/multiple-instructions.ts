import type {Rule} from '../rule.js'

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
        const found = stage.instructions.filter((i) => i.getKeyword() === keyword)
        const last = found.at(-1)
        for (const earlier of found.slice(0, -1)) {
          report({
            range: earlier.getInstructionRange(),
            message: `${keyword} is set again on line ${last!.getRange().start.line + 1}: only the last ${keyword} of a stage takes effect`,
          })
        }
      }
    }
  },
}
