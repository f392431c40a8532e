import type {Rule} from '../rule.js'
import {argumentsText} from '../source-text.js'

/** A double-quoted Dockerfile string: `"`, the escape character and `$` are escaped. */
export function dockerfileQuote(value: string, escape: string): string {
  let out = ''
  for (const c of value) out += c === '"' || c === escape || c === '$' ? escape + c : c
  return `"${out}"`
}

export const maintainerDeprecated: Rule = {
  id: 'DK201',
  name: 'maintainer-deprecated',
  summary: 'MAINTAINER is deprecated: use LABEL maintainer="…"',
  severity: 'warning',
  aliases: ['hadolint:DL4000', 'buildkit:MaintainerDeprecated', 'dockerfile-utils:DEPRECATED_MAINTAINER', 'dockerfilelint:deprecated_in_1.13'],
  fixable: true,
  docs: {
    why:
      'MAINTAINER was deprecated in Docker 1.13. It only sets the image\'s Author field, which few tools read; ' +
      'a label is searchable (`docker image ls --filter label=maintainer=…`) and sits with your other metadata. ' +
      'The build still accepts MAINTAINER today, but it is the first thing a reviewer will ask you to change.',
    bad: 'FROM debian:bookworm\nMAINTAINER Jane Doe <jane@example.com>',
    good: 'FROM debian:bookworm\nLABEL maintainer="Jane Doe <jane@example.com>"',
  },
  check({model, report}) {
    // Every instruction but FROM, in file order (FROM is never a MAINTAINER).
    for (const instruction of model.ast.getInstructions()) {
      if (instruction.getKeyword() !== 'MAINTAINER') continue
      const value = argumentsText(model, instruction)?.text.trim() ?? ''
      report({
        range: instruction.getInstructionRange(),
        message: 'MAINTAINER is deprecated: use LABEL maintainer="…" instead',
        fix: value ? [{range: instruction.getRange(), newText: `LABEL maintainer=${dockerfileQuote(value, model.escape)}`}] : undefined,
      })
    }
  },
}
