import {runsOf} from '../practice-support.js'
import type {DockerfileModel, Rule} from '../rule.js'
import {activeShell, commandsNamed, isNonPosixShell, type ShellScript, type ShellWord} from '../shell.js'
import {positionAt} from '../source-text.js'

/** `-o pipefail` (also in a cluster such as `-euxo pipefail`) in a list of words. */
export function setsPipefail(words: readonly string[]): boolean {
  return words.some((w, k) => /^-[a-zA-Z]*o$/.test(w) && words[k + 1] === 'pipefail')
}

/** `set -o pipefail` before the command at `index`. */
function scriptSetsPipefail(script: ShellScript, index: number): boolean {
  return commandsNamed(script, 'set', false).some(({command, argv}) => script.commands.indexOf(command) < index && setsPipefail(argv.map((w: ShellWord) => w.value)))
}

/** The stage at the root of a FROM <stage> chain: its image is the real base image. */
function shippedRoot(model: DockerfileModel, index: number): number {
  const seen = new Set<number>()
  let current = index
  while (model.stages[current]?.baseStage !== undefined && !seen.has(current)) {
    seen.add(current)
    current = model.stages[current].baseStage!
  }
  return current
}

export const pipeWithoutPipefail: Rule = {
  id: 'DK214',
  name: 'pipe-without-pipefail',
  summary: 'RUN with a pipe but no pipefail: a failing first command does not fail the build',
  severity: 'warning',
  aliases: ['hadolint:DL4006'],
  fixable: false,
  docs: {
    why:
      'A pipeline\'s exit status is that of its last command. In `RUN wget -O - https://example.com/key | apt-key add -`, ' +
      'if wget fails the build goes on happily with an empty key and breaks somewhere far away. With the shell option ' +
      '`pipefail` any failing command fails the pipeline, and the RUN. Set it for all RUNs with ' +
      '`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (busybox and Alpine: `/bin/ash`), or start the script with `set -o pipefail`.',
    bad: 'FROM debian:bookworm\nRUN wget -qO- https://example.com/install.sh | sh',
    good: 'FROM debian:bookworm\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -qO- https://example.com/install.sh | sh',
  },
  check({model, report}) {
    for (const {stage, run, script} of runsOf(model, {onbuild: true})) {
      if (!script) continue
      // Most scripts have no pipe: look for one before working out the shell.
      const index = script.commands.findIndex((c) => c.after === '|' || c.after === '|&')
      if (index < 0) continue
      const shell = activeShell(model, stage, run)
      if (isNonPosixShell(shell) || setsPipefail(shell) || scriptSetsPipefail(script, index)) continue
      const left = script.commands[index]
      const right = script.commands[index + 1]
      const first = left.words[0] ?? left.redirects[0]
      const lastWords = right ? [...right.words, ...right.redirects] : []
      const end = lastWords.length > 0 ? Math.max(...lastWords.map((w) => w.end)) : (first?.end ?? 0)
      // busybox and Alpine have no bash; their ash knows pipefail.
      const base = model.stages[shippedRoot(model, stage.index)]?.image ?? stage.image
      const shellPath = /busybox|alpine/i.test(base) ? '/bin/ash' : '/bin/bash'
      report({
        range: {start: positionAt(script.source, first?.start ?? 0), end: positionAt(script.source, end)},
        message: `A pipe hides the failure of its first command: set SHELL ["${shellPath}", "-o", "pipefail", "-c"] (or set -o pipefail) before this RUN`,
      })
    }
  },
}
