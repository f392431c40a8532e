import {allInstructions} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const copyDestination: Rule = {
  id: 'DK108',
  name: 'copy-destination-slash',
  summary: 'COPY/ADD with several sources needs a destination ending in /',
  severity: 'error',
  aliases: ['hadolint:DL3021', 'dockerfile-utils:INVALID_DESTINATION'],
  fixable: true,
  docs: {
    why: 'With more than one source, COPY and ADD put them all into a directory, and Docker insists the destination say so with a trailing slash ("When using COPY with more than one source file, the destination must be a directory and end with a /").',
    bad: 'FROM busybox\nCOPY package.json server.js /app\n',
    good: 'FROM busybox\nCOPY package.json server.js /app/\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      const keyword = instruction.getKeyword()
      if (keyword !== 'COPY' && keyword !== 'ADD') continue
      if (instruction.getHeredocs().length > 0) continue
      const args = instruction.getArguments()
      if (args.length < 3 || args[0].getValue().startsWith('[')) continue
      const dest = args.at(-1)!
      const value = dest.getValue()
      if (value.endsWith('/') || value.endsWith('\\') || value.includes('$')) continue
      const end = dest.getRange().end
      report({
        range: dest.getRange(),
        message: `${keyword} has ${args.length - 1} sources, so its destination '${value}' must be a directory ending in /`,
        fix: [{range: {start: end, end}, newText: '/'}],
      })
    }
  },
}
