import {runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {aptGetCalls, type PackageCall} from '../shell.js'
import {positionAt} from '../source-text.js'

function skipsRecommends(call: PackageCall): boolean {
  return call.options.some(
    (o) => o.name === 'no-install-recommends' || ((o.name === 'o' || o.name === 'option') && /^APT::Install-Recommends=(false|0|no)$/i.test(o.value ?? '')),
  )
}

export const aptGetNoInstallRecommends: Rule = {
  id: 'DK207',
  name: 'apt-get-no-install-recommends',
  summary: 'apt-get install without --no-install-recommends: the image carries packages you did not ask for',
  severity: 'info',
  aliases: ['hadolint:DL3015', 'dockerfilelint:apt-get_recommends'],
  fixable: true,
  docs: {
    why:
      'By default apt installs every "recommended" package too: documentation tools, extra libraries, sometimes a whole X stack. ' +
      'In a container they are dead weight that you download, store and patch for every release. ' +
      '`--no-install-recommends` installs what you listed and what it truly depends on. The fix adds the flag; if your program ' +
      'needed one of the recommended packages (ca-certificates is the classic), list it explicitly.',
    bad: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y memcached',
    good: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends memcached',
  },
  check({model, report}) {
    for (const {script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      for (const call of aptGetCalls(script, 'install')) {
        if (skipsRecommends(call)) continue
        const at = positionAt(script.source, call.subcommand.end)
        report({
          range: {start: positionAt(script.source, call.argv[0].start), end: at},
          message: 'apt-get install without --no-install-recommends pulls in recommended packages too: add --no-install-recommends',
          fix: [{range: {start: at, end: at}, newText: ' --no-install-recommends'}],
        })
      }
    }
  },
}
