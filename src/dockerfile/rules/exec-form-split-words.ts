import type {Instruction} from '../syntax.js'

import {execForm, type ExecElement} from '../exec-form.js'
import type {Rule, RuleContext} from '../rule.js'
import {isBlank} from '../source-text.js'

/** Tools whose first argument is a subcommand: `["apt-get", "install memcached"]` is a split bug. */
const SUBCOMMAND_TOOLS = new Set(['apt-get', 'apt', 'apt-cache', 'apk', 'pip', 'pip3', 'npm', 'yarn', 'pnpm', 'git', 'docker', 'go', 'cargo', 'gem', 'bundle', 'yum', 'dnf', 'zypper', 'composer', 'dotnet', 'kubectl', 'helm'])
/** Tools that print their arguments: spaces inside an element are the point. */
const PRINTERS = new Set(['echo', 'printf'])
const WINDOWS_STYLE_FLAG = /^\/[a-zA-Z]$/
/**
 * Init processes that run a command given after their own options: in `["tini", "--", "memcached -u
 * daemon"]` the element after `--` is the wrapped program's argv[0], not an option's value. Listed
 * with the options that take a value, so that `tini -e 143 memcached` finds memcached.
 */
const INIT_WRAPPERS = new Map<string, Set<string>>([
  ['tini', new Set(['-e', '-p'])],
  ['tini-static', new Set(['-e', '-p'])],
  ['dumb-init', new Set(['-r', '--rewrite'])],
  ['catatonit', new Set()],
])
/** env's options that take the next element as their value. */
const ENV_VALUED = new Set(['-u', '--unset', '-C', '--chdir'])
/** Wrappers whose first argument is a user (`gosu app memcached`), then the command. */
const USER_SWITCHERS = new Set(['gosu', 'su-exec'])

/**
 * Split an element the way its author read it: on blanks, with '…', "…" and \x honoured. Undefined
 * when it holds shell syntax ($, |, ;, >, globs…): then it needed a shell, not a split.
 */
export function splitWords(value: string): string[] | undefined {
  const words: string[] = []
  let current = ''
  let inWord = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(current)
      current = ''
      inWord = false
      continue
    }
    inWord = true
    if (c === "'" || c === '"') {
      const close = value.indexOf(c, i + 1)
      if (close < 0) return undefined
      const inner = value.slice(i + 1, close)
      if (c === '"' && /[$`\\]/.test(inner)) return undefined
      current += inner
      i = close
      continue
    }
    if (c === '\\') {
      if (i + 1 >= value.length) return undefined
      current += value[++i]
      continue
    }
    if (/[$`|&;<>()*?~{}[\]#]/.test(c)) return undefined
    current += c
  }
  if (inWord) words.push(current)
  return words
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * Where the argv of the command run by a wrapper (`tini --`, `dumb-init`, `gosu user`, `env K=V`)
 * starts, or 0 when elements[0] is no wrapper or runs nothing.
 */
export function wrappedCommandStart(elements: string[]): number {
  const tool = basename(elements[0] ?? '')
  let start = 0
  const valued = INIT_WRAPPERS.get(tool)
  if (valued) {
    // The wrapper's options end at `--` or at the first operand; a later `--` is the wrapped command's.
    start = 1
    while (start < elements.length && elements[start].startsWith('-')) {
      if (elements[start] === '--') {
        start++
        break
      }
      start += valued.has(elements[start]) ? 2 : 1
    }
  } else if (USER_SWITCHERS.has(tool)) start = 2
  else if (tool === 'env') {
    start = 1
    while (start < elements.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(elements[start]) || elements[start].startsWith('-'))) {
      // `env -S "cmd args"` splits the string itself: the element is meant to hold several words.
      if (elements[start] === '-S' || elements[start].startsWith('--split-string')) return 0
      start += ENV_VALUED.has(elements[start]) ? 2 : 1
    }
  }
  return start < elements.length ? start : 0
}

/** Why element `index` is several argv words glued together, or undefined when it is fine. */
export function gluedReason(elements: string[], index: number): string | undefined {
  const value = elements[index]
  // Most elements are one word: no blank, so nothing glued, whatever wraps them (and no split or
  // regular expression needed to say so).
  if (!hasBlank(value)) return undefined
  const start = wrappedCommandStart(elements)
  // The wrapper's own arguments (`JAVA_OPTS=-Xmx1g -Xms1g`, a user name) are values, not argv words.
  if (start > 0) return index >= start ? gluedReason(elements.slice(start), index - start) : undefined
  const tokens = value.trim().split(/\s+/)
  if (tokens.length < 2) return undefined
  if (index === 0) {
    // A Windows path with a space ("C:\\Program Files\\app.exe") is one word.
    if (value.includes('\\') || /^[a-zA-Z]:/.test(value)) return undefined
    return `the executable is the whole string '${value}', and no program has that name`
  }
  const tool = basename(elements[0])
  if (PRINTERS.has(tool)) return undefined
  const previous = elements[index - 1]
  // A value for the option before it (`-c "script"`, `-g "daemon off;"`, `/C "dir x"`); `--` ends
  // the options instead, so what follows it is an operand.
  if ((previous.startsWith('-') && previous !== '--') || WINDOWS_STYLE_FLAG.test(previous)) return undefined
  if (/^--?[\w-]+=/.test(tokens[0])) return undefined
  if (tokens.some((t) => /^-{1,2}[a-zA-Z]/.test(t))) return `'${value}' holds an option and its neighbours in one argv word`
  if (index === 1 && SUBCOMMAND_TOOLS.has(tool) && /^[a-z][\w-]*$/.test(tokens[0])) return `${tool} receives the single subcommand '${value}'`
  return undefined
}

function checkElements(instruction: Instruction, elements: ExecElement[], report: RuleContext['report']): void {
  const values = elements.map((e) => e.value)
  for (const [index, element] of elements.entries()) {
    const reason = gluedReason(values, index)
    if (!reason) continue
    const words = splitWords(element.value)
    const split = words && words.length > 1 ? words.map((w) => JSON.stringify(w)).join(', ') : undefined
    report({
      range: element.range,
      message: `${instruction.getKeyword()} exec form passes each element as one argv word: ${reason}; ${split ? `split it: ${split}` : 'split it into one element per word, or use shell form'}`,
      fix: split ? [{range: element.range, newText: split}] : undefined,
    })
  }
}

export const execFormSplitWords: Rule = {
  id: 'DK301',
  name: 'exec-form-split-words',
  summary: 'Exec-form element holding several argv words (["apt-get", "install -y x"])',
  severity: 'error',
  aliases: [],
  fixable: true,
  docs: {
    why:
      'In exec form there is no shell to split your words: each JSON string is exactly one argument. ' +
      '`RUN ["apt-get", "install -y memcached"]` hands apt-get the single argument "install -y memcached", which it rejects, ' +
      'and `CMD ["memcached -u daemon"]` asks Docker to start a program literally named "memcached -u daemon", which fails at ' +
      '`docker run` time with "executable file not found". Write one element per word. dk knows the exceptions: the script ' +
      'after `sh -c`, a value after an option (`-g "daemon off;"`), and echo/printf arguments; behind an init or user ' +
      'wrapper (`tini --`, `dumb-init`, `gosu user`, `env K=V`) it checks the wrapped command as its own argv. No other linter sees this: ' +
      'hadolint joins the elements with spaces before its rules run.',
    bad: 'FROM ubuntu:wily\nRUN ["apt-get", "install -y memcached"]\nCMD ["memcached -u daemon"]',
    good: 'FROM ubuntu:wily\nRUN ["apt-get", "install", "-y", "memcached"]\nCMD ["memcached", "-u", "daemon"]',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword()
        if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT' && keyword !== 'SHELL' && keyword !== 'HEALTHCHECK') continue
        const elements = execForm(model, instruction)
        if (elements && elements.length > 0) checkElements(instruction, elements, report)
      }
    }
  },
}

/** Whether the text holds a character that \s matches. */
function hasBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isBlank(text.charCodeAt(i))) return true
  return false
}
