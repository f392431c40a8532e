import {posix} from 'node:path'

import type {Instruction} from '../syntax.js'

import {execForm, formatExecForm} from '../exec-form.js'
import type {DockerfileModel, Rule, Stage} from '../rule.js'
import {argumentsText, joinContinuations} from '../source-text.js'
import {mountTargets} from '../practice-support.js'
import {execFormEquivalent} from './shell-form-cmd.js'

/** Destinations that may bring a shell into an empty image: a root filesystem or /bin itself. */
const SHELL_DESTINATION = /^\/(bin(\/(sh|busybox)?)?)?$/

/** What the rule knows of a stage's filesystem at one point: no /bin/sh for sure, and the WORKDIR. */
interface FsState {
  noShell: boolean
  /** Absolute; undefined when a variable makes it unknown. */
  workdir: string | undefined
}

/**
 * A stage starts with no /bin/sh when it is FROM scratch, or FROM an earlier stage that ended
 * without one. Within a stage a SHELL, or anything copied to `/` or `/bin` (how a rootfs tarball or
 * a static busybox gets in), may bring one; unknowns (variables, heredocs) count as "may", so the
 * rule only speaks when it is sure. `ends` memoises each stage's final state by index.
 */
function startState(model: DockerfileModel, stage: Stage, ends: FsState[]): FsState {
  if (stage.baseStage === undefined) return {noShell: stage.image.toLowerCase() === 'scratch', workdir: '/'}
  const base = model.stages[stage.baseStage]
  if (!base) return {noShell: false, workdir: undefined}
  let end = ends[base.index]
  if (!end) {
    end = base.instructions.reduce((state, instruction) => step(model, state, instruction), startState(model, base, ends))
    ends[base.index] = end
  }
  return end
}

function step(model: DockerfileModel, state: FsState, instruction: Instruction): FsState {
  const keyword = instruction.getKeyword()
  if (keyword === 'WORKDIR') {
    const path = (instruction.getRawArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, '')
    const workdir = path.includes('$') ? undefined : resolvePath(state.workdir, path)
    return {...state, workdir}
  }
  if (!state.noShell) return state
  if (keyword === 'SHELL') return {...state, noShell: false}
  if (keyword !== 'COPY' && keyword !== 'ADD') return state
  if (instruction.getHeredocs().length > 0) return {...state, noShell: false}
  const json = execForm(model, instruction)
  const dest = json ? json.at(-1)?.value : instruction.getArguments().at(-1)?.getValue()
  const path = dest === undefined || dest.includes('$') ? undefined : resolvePath(state.workdir, dest.trim())
  return {...state, noShell: !(path === undefined || SHELL_DESTINATION.test(path))}
}

/** `path` against the working directory, normalised without a trailing slash; undefined when unknown. */
function resolvePath(workdir: string | undefined, path: string): string | undefined {
  if (!path.startsWith('/') && workdir === undefined) return undefined
  const joined = posix.normalize(path.startsWith('/') ? path : posix.join(workdir as string, path))
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined
}

/** The command of a RUN/CMD/ENTRYPOINT/HEALTHCHECK that Docker runs through /bin/sh -c, if any. */
function shellCommand(model: DockerfileModel, instruction: Instruction): string | undefined {
  const keyword = instruction.getKeyword()
  if (keyword === 'HEALTHCHECK') {
    // The command follows the CMD word, as exec-form.ts reads it.
    const sub = instruction.getSubcommand()
    if (!sub || sub.getValue().toUpperCase() !== 'CMD' || execForm(model, instruction)) return undefined
    const command = joinContinuations(model, sub.getRange().end, instruction.getRange().end).text.trim()
    return command === '' ? undefined : command
  }
  if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') return undefined
  if (execForm(model, instruction)) return undefined
  // `RUN --mount=from=busybox,src=/bin,dst=/bin …` has a shell while it runs.
  if (keyword === 'RUN' && mountTargets(instruction).some((target) => SHELL_DESTINATION.test(resolvePath('/', target) ?? ''))) return undefined
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
    const ends: FsState[] = []
    for (const stage of model.stages) {
      let state = startState(model, stage, ends)
      if (!state.noShell) continue
      const via = stage.baseStage === undefined ? 'FROM scratch' : `FROM scratch (through stage ${stage.image})`
      for (const instruction of stage.instructions) {
        const command = shellCommand(model, instruction)
        const range = command === undefined ? undefined : instruction.getArgumentsRange()
        if (command !== undefined && range) {
          const argv = execFormEquivalent(command)
          const keyword = instruction.getKeyword()
          report({
            range,
            message: `${keyword} in shell form needs /bin/sh, and this stage, built ${via}, has none: use the exec form${argv ? ` ${formatExecForm(argv)}` : ' (["executable", "arg", …])'}${keyword === 'RUN' ? ' or build in another stage and COPY --from it' : ''}`,
          })
        }
        state = step(model, state, instruction)
        if (!state.noShell) break
      }
    }
  },
}
