import type {Instruction} from '../syntax.js'

import {execForm, formatExecForm} from '../exec-form.js'
import type {DockerfileModel, Rule, Stage} from '../rule.js'
import {argumentsText} from '../source-text.js'
import {execFormEquivalent} from './shell-form-cmd.js'

/** Destinations that may bring a shell into an empty image: a root filesystem or /bin itself. */
const SHELL_DESTINATION = /^\/?(bin(\/(sh|busybox)?)?)?\/?$/

/**
 * Whether a stage starts with no /bin/sh: FROM scratch, or FROM an earlier stage that ended without
 * one. Within a stage a SHELL, or anything copied to `/` or `/bin` (how a rootfs tarball or a static
 * busybox gets in), may bring one; unknowns (variables) count as "may", so the rule only speaks when
 * it is sure. `endsEmpty` memoises per stage index.
 */
function startsEmpty(model: DockerfileModel, stage: Stage, endsEmpty: Map<number, boolean>): boolean {
  if (stage.baseStage === undefined) return stage.image.toLowerCase() === 'scratch'
  const base = model.stages[stage.baseStage]
  if (!base) return false
  let empty = endsEmpty.get(base.index)
  if (empty === undefined) {
    empty = startsEmpty(model, base, endsEmpty) && !base.instructions.some((i) => bringsShell(model, i))
    endsEmpty.set(base.index, empty)
  }
  return empty
}

function bringsShell(model: DockerfileModel, instruction: Instruction): boolean {
  const keyword = instruction.getKeyword()
  if (keyword === 'SHELL') return true
  if (keyword !== 'COPY' && keyword !== 'ADD') return false
  const json = execForm(model, instruction)
  const dest = json ? json.at(-1)?.value : instruction.getArguments().at(-1)?.getValue()
  if (dest === undefined || dest.includes('$')) return true
  return SHELL_DESTINATION.test(dest.trim())
}

/** The command of a RUN/CMD/ENTRYPOINT/HEALTHCHECK that Docker runs through /bin/sh -c, if any. */
function shellCommand(model: DockerfileModel, instruction: Instruction): string | undefined {
  const keyword = instruction.getKeyword()
  if (keyword === 'HEALTHCHECK') {
    const sub = (instruction as unknown as {getSubcommand(): {getValue(): string} | null}).getSubcommand()
    if (!sub || sub.getValue().toUpperCase() !== 'CMD' || execForm(model, instruction)) return undefined
    return (argumentsText(model, instruction)?.text ?? '').replace(/^[\s\S]*?\bCMD\s+/i, '')
  }
  if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') return undefined
  if (execForm(model, instruction)) return undefined
  return argumentsText(model, instruction)?.text ?? ''
}

export const shellFormWithoutShell: Rule = {
  id: 'DK120',
  name: 'shell-form-without-shell',
  summary: 'Shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK in a stage FROM scratch, which has no /bin/sh',
  severity: 'error',
  aliases: [],
  fixable: false,
  docs: {
    why:
      'Shell form means Docker runs `/bin/sh -c "<your line>"`. An image built FROM scratch holds only what you copied into it, ' +
      'so there is no /bin/sh: a RUN fails the build, and a CMD, ENTRYPOINT or HEALTHCHECK fails when the container starts or is probed ' +
      '("exec: \\"/bin/sh\\": stat /bin/sh: no such file or directory"). Use the exec form, `CMD ["/app"]`. dk stays silent when the ' +
      'stage sets a SHELL or copies something to `/` or `/bin` (a root filesystem, a static busybox), since a shell may then exist.',
    bad: 'FROM scratch\nCOPY app /app\nCMD /app --port 8080\n',
    good: 'FROM scratch\nCOPY app /app\nCMD ["/app", "--port", "8080"]\n',
  },
  check({model, report}) {
    const endsEmpty = new Map<number, boolean>()
    for (const stage of model.stages) {
      if (!startsEmpty(model, stage, endsEmpty)) continue
      for (const instruction of stage.instructions) {
        if (bringsShell(model, instruction)) break
        const command = shellCommand(model, instruction)
        const range = command === undefined ? undefined : instruction.getArgumentsRange()
        if (command === undefined || !range) continue
        const argv = execFormEquivalent(command)
        const keyword = instruction.getKeyword()
        report({
          range,
          message: `${keyword} in shell form needs /bin/sh, and this stage starts FROM scratch without one: use the exec form${argv ? ` ${formatExecForm(argv)}` : ' (["executable", "arg", …])'}${keyword === 'RUN' ? ' or build in another stage and COPY --from it' : ''}`,
        })
      }
    }
  },
}
