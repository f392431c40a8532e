import type {Instruction} from '../syntax.js'

import {execForm, formatExecForm} from '../exec-form.js'
import type {DockerfileModel, Rule, Stage} from '../rule.js'
import {activeShell, parseShell} from '../shell.js'
import {argumentsText} from '../source-text.js'

const GLOB = /[*?[\]{}~]/

/** Builtins that only exist inside a shell: as argv[0] of an exec form they would not be found. */
const SHELL_BUILTINS = new Set(['cd', 'export', 'source', '.', 'set', 'unset', 'trap', 'ulimit', 'umask', 'eval', 'read', 'wait', 'alias', 'shift', 'exit', 'return', 'for', 'case', 'if', 'while', 'until', '[[', 'function', 'let', 'declare', 'local', 'readonly', 'type', 'hash', 'builtin', 'command', 'jobs', 'fg', 'bg'])

/**
 * The exec-form argv equivalent to a shell-form command line, or undefined when the line uses any
 * shell feature (variables, globs, operators, redirections, `~`, assignments, builtins) and so
 * needs the shell. A leading `exec` is dropped: exec form already replaces the process.
 */
export function execFormEquivalent(text: string): string[] | undefined {
  const {commands, incomplete} = parseShell(text)
  if (incomplete || commands.length !== 1) return undefined
  const [command] = commands
  if (command.redirects.length > 0 || command.argv.length !== command.words.length || command.argv.length === 0) return undefined
  const argv: string[] = []
  for (const word of command.words) {
    if (word.dynamic) return undefined
    const raw = text.slice(word.start, word.end)
    // Unquoted glob, brace or tilde characters would be expanded by the shell. Most words have
    // none at all, quoted or not: then there are no quotes to remove first.
    if (GLOB.test(raw) && GLOB.test(raw.replace(/'[^']*'|"(?:[^"\\]|\\.)*"|\\./g, ''))) return undefined
    argv.push(word.value)
  }
  if (argv[0] === 'exec') argv.shift()
  if (argv.length === 0 || SHELL_BUILTINS.has(argv[0]) || argv[0].includes('=')) return undefined
  return argv
}

function isDefaultShell(shell: readonly string[]): boolean {
  return shell.length === 2 && (shell[0] === '/bin/sh' || shell[0] === 'sh') && shell[1] === '-c'
}

function fixFor(model: DockerfileModel, stage: Stage, instruction: Instruction): string | undefined {
  const keyword = instruction.getKeyword()
  // Exec-form ENTRYPOINT receives CMD as arguments, shell form ignores it: converting would change what runs.
  if (keyword === 'ENTRYPOINT' && stage.instructions.some((i) => i.getKeyword() === 'CMD')) return undefined
  if (!isDefaultShell(activeShell(model, stage, instruction))) return undefined
  const text = argumentsText(model, instruction)?.text ?? ''
  const argv = execFormEquivalent(text)
  return argv ? formatExecForm(argv) : undefined
}

export const shellFormCmd: Rule = {
  id: 'DK205',
  name: 'shell-form-cmd',
  summary: 'CMD/ENTRYPOINT in shell form: use the exec (JSON) form so signals reach your process',
  severity: 'warning',
  aliases: ['hadolint:DL3025', 'buildkit:JSONArgsRecommended'],
  fixable: true,
  docs: {
    why:
      'In shell form Docker runs `/bin/sh -c "memcached -u daemon"`: the shell is PID 1 and your program its child. ' +
      '`docker stop` sends SIGTERM to the shell, which does not pass it on, so after 10 seconds Docker kills everything with SIGKILL: ' +
      'no clean shutdown, and a slow stop every time. In exec form your program is PID 1 and gets the signal. ' +
      'dk converts the line for you when it uses no shell feature (variables, pipes, redirections, globs).',
    bad: 'FROM debian:bookworm\nCMD memcached -u daemon',
    good: 'FROM debian:bookworm\nCMD ["memcached", "-u", "daemon"]',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword()
        if (keyword !== 'CMD' && keyword !== 'ENTRYPOINT') continue
        const range = instruction.getArgumentsRange()
        if (!range || execForm(model, instruction)) continue
        const replacement = fixFor(model, stage, instruction)
        report({
          range,
          message: `${keyword} in shell form runs under /bin/sh -c, which does not forward signals: use the exec form${replacement ? ` ${replacement}` : ' (["executable", "arg", …])'}`,
          fix: replacement ? [{range, newText: replacement}] : undefined,
        })
      }
    }
  },
}
