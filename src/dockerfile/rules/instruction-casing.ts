import {allInstructions, isKnownInstruction} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const instructionCasing: Rule = {
  id: 'DK118',
  name: 'instruction-casing',
  summary: 'Instruction keywords are not all in the same case',
  severity: 'style',
  aliases: ['buildkit:ConsistentInstructionCasing', 'dockerfile-utils:CASING_INSTRUCTION'],
  fixable: true,
  docs: {
    why: 'Docker accepts `run` as well as `RUN`, but a file that mixes them is harder to scan. Convention is upper case; dk follows the majority of the file (upper case on a tie), as BuildKit does, and fixes the others.',
    bad: 'FROM busybox\nrun echo hi\nCmd ["sh"]\n',
    good: 'FROM busybox\nRUN echo hi\nCMD ["sh"]\n',
  },
  check({model, report}) {
    const known = allInstructions(model).filter((i) => isKnownInstruction(i.getKeyword()))
    let upper = 0
    let lower = 0
    // getKeyword() is the upper-cased word; no word of a known keyword is both upper and lower case.
    for (const instruction of known) {
      const text = instruction.getInstruction()
      if (text === instruction.getKeyword()) upper++
      else if (text === text.toLowerCase()) lower++
    }
    const useUpper = upper >= lower
    for (const instruction of known) {
      const text = instruction.getInstruction()
      const wanted = useUpper ? instruction.getKeyword() : text.toLowerCase()
      if (text === wanted) continue
      const range = instruction.getInstructionRange()
      report({
        range,
        message: `'${text}' should be '${wanted}' like the ${useUpper ? 'upper' : 'lower'}-case instructions of this file`,
        fix: [{range, newText: wanted}],
      })
    }
  },
}
