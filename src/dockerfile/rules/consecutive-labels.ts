import type {Instruction, Property} from '../syntax.js'

import {adjacent} from '../practice-support.js'
import type {Rule} from '../rule.js'

function properties(label: Instruction): Property[] {
  return (label as unknown as {getProperties(): Property[]}).getProperties()
}

/** Only `key=value` labels can share one LABEL line; the legacy `LABEL key value` cannot. */
function mergeable(label: Instruction): boolean {
  const props = properties(label)
  return props.length > 0 && props.every((p) => p.getAssignmentOperator() === '=')
}

export const consecutiveLabels: Rule = {
  id: 'DK305',
  name: 'consecutive-labels',
  summary: 'Consecutive LABEL instructions that could be one',
  severity: 'info',
  aliases: [],
  fixable: true,
  docs: {
    why:
      'Before Docker 1.10 (2016) every instruction, LABEL included, created an image layer, so the 2015 advice was to put ' +
      'all labels in one LABEL to keep the layer count down. Since 1.10 metadata instructions add no layer and the advice is ' +
      'only about readability: one LABEL with one `key=value` per continuation line is easy to scan and to diff. ' +
      'That is why this is only information.',
    bad: 'FROM busybox:latest\nLABEL maintainer="jane@example.com"\nLABEL version="1.0"',
    good: 'FROM busybox:latest\nLABEL maintainer="jane@example.com" \\\n      version="1.0"',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (let k = 1; k < stage.instructions.length; k++) {
        const previous = stage.instructions[k - 1]
        const label = stage.instructions[k]
        if (label.getKeyword() !== 'LABEL' || previous.getKeyword() !== 'LABEL') continue
        const args = label.getArgumentsRange()
        const canMerge = args !== null && mergeable(previous) && mergeable(label) && adjacent(model, previous, label)
        const indent = ' '.repeat(previous.getInstruction().length + 1)
        report({
          range: label.getInstructionRange(),
          message: `LABEL right after the LABEL on line ${previous.getRange().start.line + 1}: one LABEL with several key=value pairs is easier to read`,
          fix: canMerge ? [{range: {start: previous.getRange().end, end: args.start}, newText: ` ${model.escape}\n${indent}`}] : undefined,
        })
      }
    }
  },
}
