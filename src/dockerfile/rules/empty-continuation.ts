import {heredocBodyLines} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const emptyContinuation: Rule = {
  id: 'DK117',
  name: 'empty-continuation',
  summary: 'Empty line inside a continued instruction',
  severity: 'warning',
  aliases: ['buildkit:NoEmptyContinuation', 'dockerfile-utils:EMPTY_CONTINUATION_LINE'],
  fixable: true,
  docs: {
    why: 'Docker skips an empty line after a trailing backslash, so the instruction goes on; but it is easy to read as the end of the instruction, and Docker has announced that it will become an error. Remove the empty line (a comment line is fine).',
    bad: 'FROM busybox\nRUN echo one \\\n\n    && echo two\n',
    good: 'FROM busybox\nRUN echo one \\\n    && echo two\n',
  },
  check({model, report}) {
    let heredoc: Set<number> | undefined
    for (const instruction of model.ast.getInstructions()) {
      const {start, end} = instruction.getRange()
      for (let line = start.line + 1; line <= end.line; line++) {
        if ((model.lines[line] ?? '').trim() !== '') continue
        // Only a file with a blank line inside an instruction needs to know its heredoc bodies.
        heredoc ??= heredocBodyLines(model)
        if (heredoc.has(line)) continue
        report({
          range: {start: {line, character: 0}, end: {line, character: model.lines[line].length}},
          message: 'Empty continuation line: remove it, Docker will refuse it in a future release',
          fix: [{range: {start: {line, character: 0}, end: {line: line + 1, character: 0}}, newText: ''}],
        })
      }
    }
  },
}
