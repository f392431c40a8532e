import {runsOf} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {aptGetCalls, commandName, type PackageCall} from '../shell.js'
import {positionAt} from '../source-text.js'

/** `-y`, `--yes`, `--assume-yes`, `-qq` (quiet level 2 implies -y), `-o APT::Get::Assume-Yes=true`. */
export function answersYes(call: PackageCall): boolean {
  let quiet = 0
  for (const o of call.options) {
    if (o.name === 'y' || o.name === 'yes' || o.name === 'assume-yes') return true
    if (o.name === 'q' || o.name === 'quiet') quiet += o.value === undefined ? 1 : Number(o.value) || 0
    if ((o.name === 'o' || o.name === 'option') && /^APT::Get::Assume-Yes=(true|1|yes)$/i.test(o.value ?? '')) return true
  }
  // `yes | apt-get install …`
  return quiet >= 2 || (call.command.before === '|' && commandName(call.previous?.argv[0]) === 'yes')
}

export const aptGetInstallYes: Rule = {
  id: 'DK206',
  name: 'apt-get-install-yes',
  summary: 'apt-get install without -y: the build stops at the confirmation prompt',
  severity: 'warning',
  aliases: ['hadolint:DL3014', 'dockerfilelint:apt-get_missing_param'],
  fixable: true,
  docs: {
    why:
      'A build has nobody at the keyboard. When apt-get asks "Do you want to continue? [Y/n]" it reads end-of-file ' +
      'and aborts, so the build fails as soon as the install pulls in anything extra. `-y` answers yes up front.',
    bad: 'FROM debian:bookworm\nRUN apt-get update && apt-get install memcached',
    good: 'FROM debian:bookworm\nRUN apt-get update && apt-get -y install memcached',
  },
  check({model, report}) {
    for (const {script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      for (const call of aptGetCalls(script, 'install')) {
        if (answersYes(call)) continue
        const tool = call.argv[0]
        report({
          range: {start: positionAt(script.source, tool.start), end: positionAt(script.source, call.subcommand.end)},
          message: 'apt-get install without -y: a build cannot answer the confirmation prompt, add -y',
          fix: [{range: {start: positionAt(script.source, tool.end), end: positionAt(script.source, tool.end)}, newText: ' -y'}],
        })
      }
    }
  },
}
