
import type {Rule} from '../rule.js'

export const copyFromStage: Rule = {
  id: 'DK111',
  name: 'copy-from-stage',
  summary: 'COPY --from names its own stage or a stage not defined before it',
  severity: 'error',
  aliases: ['hadolint:DL3022', 'hadolint:DL3023'],
  fixable: false,
  docs: {
    why: '`COPY --from=<name>` copies from an earlier stage (or, when no stage has that name, from an image). A stage cannot copy from itself, nor from a stage defined later; a name that matches no stage silently becomes an image reference, often a typo of a stage name.',
    bad: 'FROM busybox AS build\nRUN echo hi > /out\nFROM busybox\nCOPY --from=biuld /out /out\n',
    good: 'FROM busybox AS build\nRUN echo hi > /out\nFROM busybox\nCOPY --from=build /out /out\n',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'COPY') continue
        const flag = instruction.getFromFlag()
        const value = flag?.getValue()
        if (!flag || !value || value.includes('$')) continue
        const range = flag.getValueRange() ?? flag.getRange()
        const name = value.toLowerCase()
        if (/^\d+$/.test(value)) {
          const n = Number(value)
          if (n === stage.index) report({range, message: `COPY --from=${value} refers to its own stage`})
          else if (n > stage.index) report({range, message: `COPY --from=${value}: stage ${value} is not defined before this one (stages are numbered from 0)`})
          continue
        }
        if (name === stage.name) {
          report({range, message: `COPY --from=${value} refers to its own stage`})
          continue
        }
        const index = model.stages.findIndex((s) => s.name === name)
        if (index > stage.index) {
          report({range, message: `COPY --from=${value}: stage '${value}' is defined later, on line ${model.stages[index].from.getRange().start.line + 1}`})
          continue
        }
        if (index === -1 && !/[/:@.]/.test(value)) {
          const names = [...new Set(model.stages.filter((s) => s.index < stage.index && s.name).map((s) => s.name!))]
          report({
            range,
            severity: 'warning',
            message: `COPY --from=${value} names no earlier stage, so Docker will look for an image called '${value}'${names.length > 0 ? ` (stages: ${names.join(', ')})` : ''}`,
          })
        }
      }
    }
  },
}
