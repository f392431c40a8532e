import type {Instruction} from '../syntax.js'

import {mountTargets, runsOf, shippedStages} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {aptGetCalls, commandsNamed, type ShellScript} from '../shell.js'
import {positionAt} from '../source-text.js'

export const APT_LISTS_CLEANUP = 'rm -rf /var/lib/apt/lists/*'

/** `rm … /var/lib/apt/lists…` in the same RUN. */
export function cleansAptLists(script: ShellScript): boolean {
  return commandsNamed(script, 'rm').some(({argv}) => argv.some((w) => w.value.startsWith('/var/lib/apt/lists')))
}

/** A cache or tmpfs mount over apt's lists keeps them out of the layer. */
function listsOnMount(run: Instruction): boolean {
  return [...mountTargets(run, 'cache'), ...mountTargets(run, 'tmpfs')].some((t) => /^\/var\/lib\/apt(\/lists)?\/?$/.test(t))
}

export const aptListsNotCleaned: Rule = {
  id: 'DK208',
  name: 'apt-lists-not-cleaned',
  summary: 'apt-get update without removing /var/lib/apt/lists in the same RUN',
  severity: 'info',
  aliases: ['hadolint:DL3009', 'dockerfilelint:apt-get_missing_rm'],
  fixable: true,
  docs: {
    why:
      '`apt-get update` downloads the package index, tens of megabytes, into /var/lib/apt/lists. Once the packages are ' +
      'installed nobody needs it, but if it is still there when the RUN ends it is frozen into the layer forever: deleting it in a ' +
      'later RUN does not shrink the image. Remove it in the same RUN (or keep it on a `--mount=type=cache` mount). ' +
      'Only stages that end up in the image are checked; build stages may keep their lists.',
    bad: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y memcached',
    good: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y memcached && rm -rf /var/lib/apt/lists/*',
  },
  check({model, report}) {
    const shipped = shippedStages(model)
    const runs = runsOf(model)
    for (let k = 0; k < runs.length; k++) {
      const {stage, run, script} = runs[k]
      if (!script || !shipped.includes(stage)) continue
      const updates = aptGetCalls(script, 'update')
      if (updates.length === 0 || cleansAptLists(script) || listsOnMount(run)) continue
      const installsHere = aptGetCalls(script, 'install').length > 0
      const laterRuns = runs.slice(k + 1).filter((r) => r.stage === stage)
      // A lone update before an install RUN is DK304's finding: merging comes first, then this.
      if (!installsHere && laterRuns.some((r) => r.script && aptGetCalls(r.script, 'install').length > 0)) continue
      const update = updates[0]
      // Cleaning after a lone update would break the next RUN's install; a later install that
      // relies on these lists would break too. Only then is appending the cleanup safe.
      const laterRelies = laterRuns.some((r) => !r.script || (aptGetCalls(r.script, 'install').length > 0 && aptGetCalls(r.script, 'update').length === 0))
      const last = script.commands.at(-1)
      const lastEnd = last ? Math.max(...[...last.words, ...last.redirects].map((w) => w.end)) : -1
      const safe = installsHere && !laterRelies && !script.fromHeredoc && !script.incomplete && last !== undefined && last.after === '' && lastEnd > 0
      const at = positionAt(script.source, lastEnd)
      report({
        range: {start: positionAt(script.source, update.argv[0].start), end: positionAt(script.source, update.subcommand.end)},
        message: `apt-get update leaves its package lists in the layer: end the RUN with && ${APT_LISTS_CLEANUP}`,
        fix: safe ? [{range: {start: at, end: at}, newText: ` && ${APT_LISTS_CLEANUP}`}] : undefined,
      })
    }
  },
}
