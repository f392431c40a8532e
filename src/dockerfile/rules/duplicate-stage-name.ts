
import type {Rule} from '../rule.js'

export const duplicateStageName: Rule = {
  id: 'DK109',
  name: 'duplicate-stage-name',
  summary: 'Two stages have the same name',
  severity: 'error',
  aliases: ['hadolint:DL3024', 'buildkit:DuplicateStageName', 'dockerfile-utils:DUPLICATE_BUILD_STAGE_NAME'],
  fixable: false,
  docs: {
    why: 'Stage names are how `COPY --from`, `FROM <stage>` and `--target` find a stage; Docker compares them case-insensitively and refuses a file where two stages share one.',
    bad: 'FROM busybox AS build\nFROM busybox AS Build\n',
    good: 'FROM busybox AS build\nFROM busybox AS test\n',
  },
  check({model, report}) {
    // Made at the first named stage: most files name none.
    let seen: Map<string, number> | undefined
    for (const stage of model.stages) {
      if (stage.name === undefined) continue
      seen ??= new Map()
      const first = seen.get(stage.name)
      if (first === undefined) {
        seen.set(stage.name, stage.from.getRange().start.line)
        continue
      }
      report({
        range: stage.from.getBuildStageRange() ?? stage.from.getInstructionRange(),
        message: `Stage name '${stage.name}' is already used on line ${first + 1} (names are compared case-insensitively)`,
      })
    }
  },
}
