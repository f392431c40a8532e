import {closest} from '../../cli/suggest.js'
import {KNOWN_INSTRUCTIONS, allInstructions, isKnownInstruction} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const unknownInstruction: Rule = {
  id: 'DK103',
  name: 'unknown-instruction',
  summary: 'Unknown instruction',
  severity: 'error',
  aliases: ['dockerfile-utils:UNKNOWN_INSTRUCTION'],
  fixable: false,
  docs: {
    why: 'Docker knows eighteen instructions (FROM, RUN, CMD, …); any other word at the start of a line stops the build with "unknown instruction". It is usually a typo, or the second line of a command whose previous line forgot its trailing backslash.',
    bad: 'FROM busybox\nRUN echo one &&\n    echo two\n',
    good: 'FROM busybox\nRUN echo one && \\\n    echo two\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      const word = instruction.getKeyword()
      if (isKnownInstruction(word)) continue
      const guess = closest(word, KNOWN_INSTRUCTIONS, 2)
      report({
        range: instruction.getInstructionRange(),
        message: `Unknown instruction '${instruction.getInstruction()}'${guess ? `: did you mean ${guess}?` : ': is a trailing backslash missing on the line before?'}`,
      })
    }
  },
}
