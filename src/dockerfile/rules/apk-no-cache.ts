import {mountTargets, runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {apkCalls, commandsNamed, hasOption} from '../shell.js'
import {positionAt} from '../source-text.js'

export const apkNoCache: Rule = {
  id: 'DK209',
  name: 'apk-no-cache',
  summary: 'apk add without --no-cache: the package index stays in the image',
  severity: 'info',
  aliases: ['hadolint:DL3019', 'dockerfilelint:apkadd-missing_nocache_or_updaterm'],
  fixable: true,
  docs: {
    why:
      'Like apt, apk downloads an index before installing and keeps it in /var/cache/apk. On Alpine, where the whole base ' +
      'image is a few megabytes, that cache is a large share of your layer. `apk add --no-cache` fetches the index, installs, ' +
      'and leaves nothing behind, in one flag.',
    bad: 'FROM alpine:3.20\nRUN apk add curl',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
  },
  check({model, report}) {
    for (const {run, script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      // Most scripts run no `apk add`: ask that before the mounts and the rm commands.
      const calls = apkCalls(script, 'add')
      if (calls.length === 0) continue
      if (mountTargets(run, 'cache').some((t) => /^\/var\/cache\/apk\/?$/.test(t) || /^\/etc\/apk\/cache\/?$/.test(t))) continue
      // The classic alternative: apk update/add … && rm -rf /var/cache/apk/*
      if (commandsNamed(script, 'rm').some(({argv}) => argv.some((w) => w.value.startsWith('/var/cache/apk')))) continue
      for (const call of calls) {
        if (hasOption(call.options, 'no-cache')) continue
        const at = positionAt(script.source, call.subcommand.end)
        report({
          range: {start: positionAt(script.source, call.argv[0].start), end: at},
          message: 'apk add without --no-cache leaves the package index in the layer: use apk add --no-cache',
          fix: [{range: {start: at, end: at}, newText: ' --no-cache'}],
        })
      }
    }
  },
}
