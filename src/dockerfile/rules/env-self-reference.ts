
import {allInstructions} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const envSelfReference: Rule = {
  id: 'DK113',
  name: 'env-self-reference',
  summary: 'ENV uses a variable defined earlier in the same ENV instruction',
  severity: 'error',
  aliases: ['hadolint:DL3044'],
  fixable: false,
  docs: {
    why: 'Docker substitutes variables in an ENV line with the values from before that line. In `ENV DIR=/srv LOG=$DIR/log`, `$DIR` is still empty (or its old value) when LOG is set, so LOG becomes `/log`. Split the instruction.',
    bad: 'FROM busybox\nENV APP_HOME=/srv APP_LOG=$APP_HOME/log\n',
    good: 'FROM busybox\nENV APP_HOME=/srv\nENV APP_LOG=$APP_HOME/log\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      if (instruction.getKeyword() !== 'ENV') continue
      const properties = instruction.getProperties()
      if (properties.length < 2) continue
      const variables = instruction.getVariables()
      const defined: string[] = []
      for (const property of properties) {
        const valueRange = property.getValueRange()
        if (valueRange) {
          for (const variable of variables) {
            const r = variable.getNameRange()
            const inside =
              (r.start.line > valueRange.start.line || (r.start.line === valueRange.start.line && r.start.character >= valueRange.start.character)) &&
              (r.end.line < valueRange.end.line || (r.end.line === valueRange.end.line && r.end.character <= valueRange.end.character))
            if (inside && defined.includes(variable.getName()))
              report({
                range: variable.getRange(),
                message: `$${variable.getName()} is set in this same ENV, but Docker expands it with the value from before this line: split the ENV`,
              })
          }
        }
        defined.push(property.getName())
      }
    }
  },
}
