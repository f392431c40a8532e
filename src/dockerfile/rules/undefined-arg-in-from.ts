import {closest} from '../../cli/suggest.js'
import type {Rule} from '../rule.js'

/** Build args BuildKit (and the classic builder for platform ones) defines automatically. */
const PREDEFINED = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
])

export const undefinedArgInFrom: Rule = {
  id: 'DK114',
  name: 'undefined-arg-in-from',
  summary: 'FROM uses a variable that no ARG before the first FROM declares',
  severity: 'warning',
  aliases: ['buildkit:UndefinedArgInFrom'],
  fixable: false,
  docs: {
    why: 'Only ARGs declared before the first FROM can be used in FROM lines; an ARG inside a stage is not visible there. An undeclared variable expands to an empty string, giving an invalid or unexpected image name.',
    bad: 'FROM busybox:${VERSION}\n',
    good: 'ARG VERSION=latest\nFROM busybox:${VERSION}\n',
  },
  check({model, report}) {
    const declared = new Set<string>()
    for (const instruction of model.preamble) {
      if (instruction.getKeyword() !== 'ARG') continue
      for (const property of instruction.getProperties()) declared.add(property.getName())
    }
    for (const stage of model.stages) {
      for (const variable of stage.from.getVariables()) {
        const name = variable.getName()
        if (declared.has(name) || PREDEFINED.has(name)) continue
        // ${X:-default} and ${X-default} give a value even when X is undeclared.
        const modifier = variable.getModifier()
        if (modifier === '-' || modifier === ':-' || modifier === '') continue
        const guess = closest(name, [...declared], 2)
        report({
          range: variable.getRange(),
          message: `FROM uses $${name}, but no ARG ${name} is declared before the first FROM${guess ? `: did you mean ${guess}?` : ''}`,
        })
      }
    }
  },
}
