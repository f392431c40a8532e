import {flagsOf} from '../instruction-utils.js'
import {adjacent, runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {aptGetCalls} from '../shell.js'
import {positionAt, sliceSource} from '../source-text.js'

export const aptGetUpdateAlone: Rule = {
  id: 'DK304',
  name: 'apt-get-update-alone',
  summary: 'RUN apt-get update in its own layer: later installs use a stale cached index',
  severity: 'warning',
  aliases: ['dockerfilelint:apt-get-update_require_install'],
  fixable: true,
  docs: {
    why:
      'Docker caches each RUN by its text. `RUN apt-get update` never changes, so after the first build it is never run again: ' +
      'when you add a package to the next RUN months later, apt looks it up in an index from the day of that first build ' +
      'and fails with "Unable to locate package" or installs outdated versions. Update and install in the same RUN, so that ' +
      'changing the package list also refreshes the index.',
    bad: 'FROM ubuntu:wily\nRUN apt-get update -qq\nRUN apt-get install -q -y memcached',
    good: 'FROM ubuntu:wily\nRUN apt-get update -qq && apt-get install -q -y memcached',
  },
  check({model, report}) {
    const runs = runsOf(model)
    for (const [k, {stage, run, script}] of runs.entries()) {
      if (!script) continue
      const updates = aptGetCalls(script, 'update')
      if (updates.length === 0 || aptGetCalls(script, 'install').length > 0) continue
      const laterInstalls = runs.slice(k + 1).filter((r) => r.stage === stage && r.script && aptGetCalls(r.script, 'install').length > 0)
      if (laterInstalls.length === 0) continue
      const target = laterInstalls[0]
      const index = stage.instructions.indexOf(run)
      // Merge only into the very next instruction, with no flags on the update RUN to lose
      // and no comment in between to drop.
      const mergeable =
        stage.instructions[index + 1] === target.run &&
        flagsOf(run).length === 0 &&
        adjacent(model, run, target.run) &&
        !script.fromHeredoc &&
        !target.script!.fromHeredoc &&
        !script.incomplete
      const update = updates[0]
      const targetArgs = target.run.getArgumentsRange()
      const fix =
        mergeable && targetArgs
          ? [
              {
                range: {start: run.getRange().start, end: targetArgs.start},
                newText: `${sliceSource(model, target.run.getRange().start, targetArgs.start)}${script.source.text.trim()} && `,
              },
            ]
          : undefined
      report({
        range: {start: positionAt(script.source, update.argv[0].start), end: positionAt(script.source, update.subcommand.end)},
        message: `apt-get update in its own RUN is cached forever: the install on line ${target.run.getRange().start.line + 1} will use a stale index; update and install in one RUN`,
        fix,
      })
    }
  },
}
