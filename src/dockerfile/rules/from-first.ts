import {keywordRange} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const fromFirst: Rule = {
  id: 'DK101',
  name: 'from-first',
  summary: 'FROM must be the first instruction (only ARG may come before it)',
  severity: 'error',
  aliases: ['hadolint:DL3061', 'dockerfile-utils:NO_SOURCE_IMAGE'],
  fixable: false,
  docs: {
    why: 'Every image starts from another one, so the first instruction of a Dockerfile is FROM. Only parser directives, comments and ARG (to parameterise the FROM, Docker 17.05+) may precede it. Docker stops with "no build stage in current context" otherwise.',
    bad: 'MAINTAINER Jane <jane@example.com>\nFROM busybox\n',
    good: 'FROM busybox\nLABEL maintainer="Jane <jane@example.com>"\n',
  },
  check({model, report}) {
    const misplaced = model.preamble.find((i) => i.getKeyword() !== 'ARG')
    if (misplaced) {
      report({
        range: keywordRange(misplaced),
        message: `${misplaced.getKeyword()} comes before the first FROM: only ARG, comments and parser directives may precede FROM`,
      })
      return
    }
    if (model.stages.length > 0) return
    const last = model.preamble.at(-1)
    report({
      range: last ? keywordRange(last) : {start: {line: 0, character: 0}, end: {line: 0, character: 0}},
      message: last ? 'The Dockerfile has no FROM instruction: add `FROM <image>` after the ARGs' : 'The Dockerfile has no instructions: it needs at least a FROM',
    })
  },
}
