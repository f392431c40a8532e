import type {Rule, Stage} from '../rule.js'

export const workdirRelative: Rule = {
  id: 'DK115',
  name: 'workdir-relative',
  summary: 'Relative WORKDIR without an absolute WORKDIR before it',
  severity: 'warning',
  aliases: ['hadolint:DL3000', 'buildkit:WorkdirRelativePath', 'dockerfile-utils:WORKDIR_IS_NOT_ABSOLUTE'],
  fixable: false,
  docs: {
    why: "A relative WORKDIR is resolved against the previous WORKDIR, which, when none was set in this Dockerfile, is whatever the base image chose. Start from an absolute path so the directory does not change when the base image does. (Like BuildKit, dk accepts a relative WORKDIR after an absolute one in the same stage or its parent stages.)",
    bad: 'FROM busybox\nWORKDIR app\n',
    good: 'FROM busybox\nWORKDIR /app\n',
  },
  check({model, report}) {
    // By stage index (a base stage always comes before the stages built from it).
    const absoluteIn: boolean[] = []
    const inherited = (stage: Stage): boolean => (stage.baseStage === undefined ? false : (absoluteIn[stage.baseStage] ?? false))
    for (const stage of model.stages) {
      let absolute = inherited(stage)
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'WORKDIR') continue
        const path = (instruction.getRawArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, '')
        if (path === '' || path.includes('$')) {
          absolute = true
          continue
        }
        if (isAbsolute(path)) absolute = true
        else if (!absolute)
          report({range: instruction.getArguments()[0]?.getRange() ?? instruction.getInstructionRange(), message: `WORKDIR ${path} is relative and no absolute WORKDIR comes before it: use /${path.replace(/^\.\//, '')}`})
      }
      absoluteIn[stage.index] = absolute
    }
  },
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\')
}
