
import type {Rule} from '../rule.js'

const RESERVED = new Set(['scratch', 'context'])
/** BuildKit's stage name grammar (instructions/parse.go). */
const VALID = /^[a-z][a-z0-9-_.]*$/

export const stageNameInvalid: Rule = {
  id: 'DK110',
  name: 'stage-name-invalid',
  summary: 'Stage name is reserved (scratch, context) or not a valid name',
  severity: 'error',
  aliases: ['hadolint:DL3063', 'buildkit:ReservedStageName', 'dockerfile-utils:INVALID_BUILD_STAGE_NAME'],
  fixable: false,
  docs: {
    why: "`scratch` is Docker's empty image and `context` names the build context in BuildKit, so a stage with either name is ambiguous. A stage name starts with a letter and holds only letters, digits, '-', '_' and '.'.",
    bad: 'FROM busybox AS scratch\nFROM busybox AS 1st\n',
    good: 'FROM busybox AS base\nFROM busybox AS first\n',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      if (stage.name === undefined) continue
      const range = stage.from.getBuildStageRange() ?? stage.from.getInstructionRange()
      if (RESERVED.has(stage.name)) report({range, message: `'${stage.name}' is a reserved name and cannot name a stage`})
      else if (!VALID.test(stage.name) && !stage.name.includes('$'))
        report({range, message: `Invalid stage name '${stage.name}': start with a letter, then letters, digits, '-', '_' or '.'`})
    }
  },
}
