import {memoKey, NOT_YET, recall, remember} from '../memo.js'
import {mountTargets, runsOf} from '../practice-support.js'
import type {Rule, Stage} from '../rule.js'
import {hasOption, pipInstallCalls} from '../shell.js'
import {positionAt} from '../source-text.js'

/** PIP_NO_CACHE_DIR set by ENV or ARG in the stage turns pip's cache off for every install. */
function stageDisablesCache(stage: Stage): boolean {
  const known = recall<boolean>(stage, CACHE_DISABLED)
  if (known !== NOT_YET) return known
  return remember(stage, CACHE_DISABLED, stage.instructions.some((i) => (i.getKeyword() === 'ENV' || i.getKeyword() === 'ARG') && /\bPIP_NO_CACHE_DIR\b/.test(i.getTextContent())))
}

const CACHE_DISABLED = memoKey('stage', 'pipNoCacheDir')

export const pipNoCacheDir: Rule = {
  id: 'DK210',
  name: 'pip-no-cache-dir',
  summary: 'pip install without --no-cache-dir: the wheel cache stays in the image',
  severity: 'warning',
  aliases: ['hadolint:DL3042'],
  fixable: true,
  docs: {
    why:
      'pip keeps every downloaded wheel in ~/.cache/pip so the next install on your laptop is faster. In an image there is no ' +
      'next install: the cache is just megabytes frozen into the layer. `--no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`, or a ' +
      '`--mount=type=cache` on the cache directory) keeps it out.',
    bad: 'FROM python:3.12-slim\nRUN pip install flask',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask',
  },
  check({model, report}) {
    for (const {stage, run, script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      // Most scripts install nothing with pip: ask that before the stage and the mounts.
      const calls = pipInstallCalls(script)
      if (calls.length === 0 || stageDisablesCache(stage)) continue
      if (mountTargets(run, 'cache').some((t) => t.includes('.cache/pip') || t.endsWith('.cache'))) continue
      for (const call of calls) {
        if (hasOption(call.options, 'no-cache-dir')) continue
        if (call.command.words.some((w) => /^PIP_NO_CACHE_DIR=/.test(w.value))) continue
        const at = positionAt(script.source, call.subcommand.end)
        report({
          range: {start: positionAt(script.source, call.argv[0].start), end: at},
          message: 'pip install keeps its download cache in the layer: add --no-cache-dir',
          fix: [{range: {start: at, end: at}, newText: ' --no-cache-dir'}],
        })
      }
    }
  },
}
