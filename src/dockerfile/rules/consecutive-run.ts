import type {Instruction} from '../syntax.js'

import {flagsOf} from '../instruction-utils.js'
import type {DockerfileModel, Rule} from '../rule.js'
import {aptGetCalls, runScript} from '../shell.js'

function commandCount(model: DockerfileModel, run: Instruction): number | undefined {
  const script = runScript(model, run)
  if (!script) return 1
  if (script.fromHeredoc) return undefined
  return script.commands.length
}

function flagKey(run: Instruction): string {
  const flags = flagsOf(run)
  // Most RUNs have no flags: no list to map, sort and join.
  if (flags.length === 0) return ''
  return flags
    .map((f) => `${f.getName()}=${f.getValue() ?? ''}`)
    .sort()
    .join(' ')
}

export const consecutiveRun: Rule = {
  id: 'DK216',
  name: 'consecutive-run',
  summary: 'Consecutive short RUN instructions: consider one RUN',
  severity: 'info',
  aliases: ['hadolint:DL3059'],
  fixable: false,
  docs: {
    why:
      'Every RUN makes a layer and a cache entry. Several tiny RUNs in a row make the image and its history longer than needed, ' +
      'and a file created by one and deleted by the next still costs space in the first layer. Chain related commands ' +
      'with `&&` in one RUN. dk, like hadolint, only points this out when both RUNs are short (at most two commands each) ' +
      'and use the same flags; heredoc RUNs are left alone.',
    bad: 'FROM busybox:latest\nRUN mkdir -p /srv/www\nRUN chown app /srv/www',
    good: 'FROM busybox:latest\nRUN mkdir -p /srv/www && chown app /srv/www',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (let k = 1; k < stage.instructions.length; k++) {
        const previous = stage.instructions[k - 1]
        const run = stage.instructions[k]
        if (run.getKeyword() !== 'RUN' || previous.getKeyword() !== 'RUN' || flagKey(run) !== flagKey(previous)) continue
        const a = commandCount(model, previous)
        const b = commandCount(model, run)
        if (a === undefined || b === undefined || a > 2 || b > 2) continue
        // A lone `apt-get update` followed by the install is DK304's finding, with its own fix.
        const prevScript = runScript(model, previous)
        if (prevScript && aptGetCalls(prevScript, 'update').length > 0 && aptGetCalls(prevScript, 'install').length === 0) continue
        report({
          range: run.getInstructionRange(),
          message: `RUN right after the RUN on line ${previous.getRange().start.line + 1}: chain them with && in one RUN (one layer)`,
        })
      }
    }
  },
}
