/**
 * Just enough of a POSIX shell parser for lint rules: split a shell-form RUN into simple commands
 * on `&&`, `||`, `;`, `|`, `&` and newlines, with quotes, escapes, `$(…)`, backticks, redirections
 * and heredocs understood, and every word mapped back to its offset in the script (and from there
 * to the Dockerfile via `MappedText`). It never throws: an unterminated quote ends the word at the
 * end of the script and marks the script `incomplete`.
 */
import type {Instruction} from './syntax.js'

import {execForm} from './exec-form.js'
import {memoKey, NOT_YET, recall, remember, type Memoized, type MemoKey} from './memo.js'
import type {DockerfileModel, Range, Stage} from './rule.js'
import {argumentsText, positionAt, verbatimText, type MappedText} from './source-text.js'

export interface ShellWord {
  /** The word after quote removal; expansions are kept as written (`$HOME`). */
  value: string
  /** Offsets in the script text. */
  start: number
  end: number
  /** Some part of it was quoted or escaped. */
  quoted: boolean
  /** It contains a parameter expansion or command substitution, so its runtime value is unknown. */
  dynamic: boolean
}

export type Separator = '&&' | '||' | ';' | ';;' | '|' | '|&' | '&' | '\n' | '(' | ')' | ''

export interface ShellCommand extends Memoized {
  /** Words of the command, redirections excluded. */
  words: ShellWord[]
  /** `words` without leading `NAME=value` assignments and reserved words (`if`, `then`, `!`, …). */
  argv: ShellWord[]
  /** Redirection operators with their targets, e.g. `>`, `/dev/null`. */
  redirects: ShellWord[]
  /** The operator before this command ('' for the first). */
  before: Separator
  /** The operator after it ('' for the last). */
  after: Separator
}

export interface ShellScript extends Memoized {
  /** The script text with the source position of every character. */
  source: MappedText
  commands: ShellCommand[]
  /** An unterminated quote or substitution: the tail could not be split reliably. */
  incomplete: boolean
  /** The script is the body of a heredoc (`RUN <<EOF`), not the RUN line itself. */
  fromHeredoc: boolean
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time'])
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/
const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '<', '>'])
/** Character codes that end an unquoted run inside a word (blanks, operators, quotes, escapes, expansions). */
const SPECIAL_IN_WORD = new Uint8Array(128)
for (const c of [...OPERATOR_CHARS, ' ', '\t', '\n', '\r', '\\', "'", '"', '$', '`']) SPECIAL_IN_WORD[c.charCodeAt(0)] = 1
/** Character codes that end a word (blanks and operators): OPERATOR_CHARS by code, without a Set lookup per word. */
const ENDS_WORD = new Uint8Array(128)
for (const c of [...OPERATOR_CHARS, ' ', '\t', '\n', '\r']) ENDS_WORD[c.charCodeAt(0)] = 1

/** Split a shell script into simple commands. */
export function parseShell(text: string): {commands: ShellCommand[]; incomplete: boolean} {
  const commands: ShellCommand[] = []
  let words: ShellWord[] = []
  let redirects: ShellWord[] = []
  let before: Separator = ''
  let incomplete = false
  const pendingHeredocs: {delimiter: string; stripTabs: boolean}[] = []
  let i = 0

  const finish = (after: Separator): void => {
    if (words.length > 0 || redirects.length > 0) {
      let k = 0
      while (k < words.length && !words[k].quoted && RESERVED.has(words[k].value)) k++
      while (k < words.length && ASSIGNMENT.test(words[k].value) && !/^[^=]*["'\\]/.test(text.slice(words[k].start, words[k].end))) k++
      commands.push({words, argv: words.slice(k), redirects, before, after})
      before = after
    } else if (after !== '\n') {
      before = after
    }
    words = []
    redirects = []
  }

  const readWord = (): ShellWord => {
    const start = i
    let value = ''
    let quoted = false
    let dynamic = false
    while (i < text.length) {
      const code = text.charCodeAt(i)
      if (code < 128 && ENDS_WORD[code] === 1) break
      const c = text[i]
      if (c === '\\') {
        if (text[i + 1] === '\n') {
          i += 2
          continue
        }
        quoted = true
        if (i + 1 < text.length) value += text[i + 1]
        i += 2
        continue
      }
      if (c === "'") {
        quoted = true
        const close = text.indexOf("'", i + 1)
        if (close < 0) {
          incomplete = true
          value += text.slice(i + 1)
          i = text.length
        } else {
          value += text.slice(i + 1, close)
          i = close + 1
        }
        continue
      }
      if (c === '"') {
        quoted = true
        i++
        let closed = false
        while (i < text.length) {
          const d = text[i]
          if (d === '"') {
            closed = true
            i++
            break
          }
          if (d === '\\' && i + 1 < text.length) {
            const n = text[i + 1]
            if (n === '\n') {
              i += 2
              continue
            }
            value += '$`"\\'.includes(n) ? n : d + n
            i += 2
            continue
          }
          if (d === '$' || d === '`') {
            dynamic = true
            const end = skipExpansion(text, i)
            value += text.slice(i, end)
            i = end
            continue
          }
          value += d
          i++
        }
        if (!closed) incomplete = true
        continue
      }
      if (c === '$' || c === '`') {
        if (c === '$' && text[i + 1] === "'") {
          quoted = true
          const close = text.indexOf("'", i + 2)
          value += close < 0 ? text.slice(i + 2) : text.slice(i + 2, close)
          i = close < 0 ? text.length : close + 1
          continue
        }
        const end = skipExpansion(text, i)
        if (end > i + 1 || c === '`') dynamic = true
        value += text.slice(i, end)
        i = end
        continue
      }
      // a run of ordinary characters in one slice
      let j = i + 1
      while (j < text.length) {
        const code = text.charCodeAt(j)
        if (code < 128 && SPECIAL_IN_WORD[code] === 1) break
        j++
      }
      value += text.slice(i, j)
      i = j
    }
    return {value, start, end: i, quoted, dynamic}
  }

  const skipHeredocBodies = (): void => {
    // `i` is just past a newline: heredoc bodies start here, one after the other.
    while (pendingHeredocs.length > 0 && i < text.length) {
      const {delimiter, stripTabs} = pendingHeredocs[0]
      let lineEnd = text.indexOf('\n', i)
      if (lineEnd < 0) lineEnd = text.length
      let line = text.slice(i, lineEnd).replace(/\r$/, '')
      if (stripTabs) line = line.replace(/^\t+/, '')
      i = Math.min(lineEnd + 1, text.length)
      if (line === delimiter) pendingHeredocs.shift()
    }
  }

  while (i < text.length) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
      continue
    }
    if (c === '\n') {
      finish('\n')
      i++
      skipHeredocBodies()
      continue
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    if (c === '&' && text[i + 1] === '>') {
      i = readRedirect(i)
      continue
    }
    if (c === '<' || c === '>') {
      // A number glued to the operator is a file descriptor (`2>&1`), not an argument.
      const last = words.at(-1)
      if (last && last.end === i && /^\d+$/.test(last.value) && !last.quoted) redirects.push(words.pop() as ShellWord)
      i = readRedirect(i)
      continue
    }
    const two = c === '&' || c === '|' || c === ';' ? text.slice(i, i + 2) : ''
    if (two === '&&' || two === '||' || two === '|&' || two === ';;') {
      finish(two)
      i += 2
      continue
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      finish(c)
      i++
      continue
    }
    words.push(readWord())
  }
  finish('')
  if (commands.length > 0) commands[commands.length - 1].after = ''
  return {commands, incomplete}

  function readRedirect(at: number): number {
    const ops = ['<<<', '<<-', '&>>', '<<', '<>', '<&', '>>', '>&', '>|', '&>', '<', '>']
    const op = ops.find((o) => text.startsWith(o, at)) ?? text[at]
    i = at + op.length
    redirects.push({value: op, start: at, end: i, quoted: false, dynamic: false})
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
    if (i < text.length && text[i] !== '\n' && !OPERATOR_CHARS.has(text[i])) {
      const target = readWord()
      redirects.push(target)
      if (op === '<<' || op === '<<-') pendingHeredocs.push({delimiter: target.value, stripTabs: op === '<<-'})
    }
    return i
  }
}

/** End offset of the expansion that starts at `start` (`$x`, `${…}`, `$(…)`, `$((…))`, `` `…` ``). */
function skipExpansion(text: string, start: number): number {
  const c = text[start]
  if (c === '`') {
    let j = start + 1
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1
    return Math.min(j + 1, text.length)
  }
  const n = text[start + 1]
  if (n === '{' || n === '(') {
    const open = n
    const close = n === '{' ? '}' : ')'
    let depth = 0
    let j = start + 1
    while (j < text.length) {
      const d = text[j]
      if (d === '\\') {
        j += 2
        continue
      }
      if (d === "'" && open === '(') {
        const q = text.indexOf("'", j + 1)
        j = q < 0 ? text.length : q + 1
        continue
      }
      if (d === open) depth++
      else if (d === close && --depth === 0) return j + 1
      j++
    }
    return text.length
  }
  if (n !== undefined && /[A-Za-z_]/.test(n)) {
    let j = start + 2
    while (j < text.length && /\w/.test(text[j])) j++
    return j
  }
  if (n !== undefined && /[0-9@*#?$!-]/.test(n)) return start + 2
  return start + 1
}

const SHELLS = /(^|\/)(sh|bash|ash|dash|ksh|mksh|zsh|busybox)$/

/**
 * The shell script of a shell-form RUN, or undefined for exec form. For `RUN <<EOF` (and
 * `RUN bash <<EOF`) the heredoc body is the script, unless its shebang names a non-shell
 * interpreter; for `RUN cmd <<EOF` the body is data and only the RUN line is parsed.
 */
export function runScript(model: DockerfileModel, run: Instruction): ShellScript | undefined {
  const known = recall<ShellScript | undefined>(run, SCRIPT)
  if (known !== NOT_YET) return known
  return remember(run, SCRIPT, computeRunScript(model, run))
}

const SCRIPT = memoKey('instruction', 'runScript')

function computeRunScript(model: DockerfileModel, run: Instruction): ShellScript | undefined {
  if (execForm(model, run)) return undefined
  const line = argumentsText(model, run)
  if (!line) return undefined
  // Most RUNs have no `<<` at all: skip the heredoc scan for them.
  const heredocs = line.text.includes('<<') ? run.getHeredocs() : []
  if (heredocs.length > 0) {
    const parsedLine = parseShell(line.text)
    const argv = parsedLine.commands[0]?.argv ?? []
    const bodyIsScript = argv.length === 0 || (argv.length === 1 && SHELLS.test(argv[0].value))
    const content = heredocs[0].getContentRange()
    if (bodyIsScript && content) {
      const body = verbatimText(model, content)
      const firstLine = body.text.split('\n', 1)[0]
      if (!firstLine.startsWith('#!') || SHELLS.test(firstLine.slice(2).trim().split(/\s+/).at(-1) ?? '') || /\b(sh|bash|ash|dash)\b/.test(firstLine)) {
        const parsed = parseShell(body.text)
        return {source: body, commands: parsed.commands, incomplete: parsed.incomplete, fromHeredoc: true}
      }
      return {source: line, commands: [], incomplete: false, fromHeredoc: true}
    }
    return {source: line, commands: parsedLine.commands, incomplete: parsedLine.incomplete, fromHeredoc: false}
  }
  const parsed = parseShell(line.text)
  return {source: line, commands: parsed.commands, incomplete: parsed.incomplete, fromHeredoc: false}
}


/** The source range of a word (or of several consecutive words). */
export function wordRange(script: ShellScript, first: ShellWord, last: ShellWord = first): Range {
  return {start: positionAt(script.source, first.start), end: positionAt(script.source, last.end)}
}

/** The last path component of a command word: `/usr/bin/apt-get` → `apt-get`. */
export function commandName(word: ShellWord | undefined): string {
  if (!word) return ''
  const value = word.value
  // A loop, not lastIndexOf (a slower builtin): this runs several times for every command.
  let slash = value.length - 1
  while (slash >= 0 && value.charCodeAt(slash) !== 47) slash--
  return slash === -1 ? value : value.slice(slash + 1)
}

const WRAPPER_VALUE_OPTIONS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S']),
  nice: new Set(['-n', '--adjustment']),
}
const WRAPPERS = new Set(['sudo', 'env', 'exec', 'command', 'nice', 'nohup', 'time'])
const NO_OPTIONS: ReadonlySet<string> = new Set<string>()

/** argv with wrappers that run another command removed: `sudo -E apt-get …` → `apt-get …`. */
export function effectiveArgv(command: ShellCommand): ShellWord[] {
  // Every package rule unwraps every command of every RUN: once per command is enough.
  const known = recall<ShellWord[]>(command, UNWRAPPED)
  if (known !== NOT_YET) return known
  return remember(command, UNWRAPPED, unwrap(command))
}

const UNWRAPPED = memoKey('command', 'effectiveArgv')

function unwrap(command: ShellCommand): ShellWord[] {
  let argv = command.argv
  let name = commandName(argv[0])
  while (argv.length > 0 && WRAPPERS.has(name)) {
    const valueOptions = WRAPPER_VALUE_OPTIONS[name] ?? NO_OPTIONS
    let k = 1
    while (k < argv.length) {
      const v = argv[k].value
      if (v === '--') {
        k++
        break
      }
      if (name === 'env' && ASSIGNMENT.test(v)) {
        k++
        continue
      }
      if (!v.startsWith('-') || v === '-') break
      k += valueOptions.has(v) ? 2 : 1
    }
    argv = argv.slice(k)
    name = commandName(argv[0])
  }
  return argv
}

export interface ParsedOption {
  /** Without dashes: `y` for `-y`, `no-install-recommends` for `--no-install-recommends`. */
  name: string
  value?: string
  word: ShellWord
}

export interface ParsedArgs {
  options: ParsedOption[]
  operands: ShellWord[]
}

/**
 * getopt-style parsing: `-qy` is `-q -y`, `--name=value`, `--` ends options. `valueOptions`
 * lists the option names (without dashes) that take the next word (or the rest of a cluster).
 */
export function parseArgs(words: ShellWord[], valueOptions: ReadonlySet<string> = NO_OPTIONS): ParsedArgs {
  const options: ParsedOption[] = []
  const operands: ShellWord[] = []
  for (let k = 0; k < words.length; k++) {
    const word = words[k]
    const v = word.value
    if (v === '--') {
      operands.push(...words.slice(k + 1))
      break
    }
    if (v.startsWith('--') && v.length > 2) {
      const eq = v.indexOf('=')
      const name = eq < 0 ? v.slice(2) : v.slice(2, eq)
      if (eq >= 0) options.push({name, value: v.slice(eq + 1), word})
      else if (valueOptions.has(name) && k + 1 < words.length) options.push({name, value: words[++k].value, word})
      else options.push({name, word})
      continue
    }
    if (v.startsWith('-') && v.length > 1 && !word.dynamic) {
      for (let c = 1; c < v.length; c++) {
        const name = v[c]
        if (valueOptions.has(name)) {
          const rest = v.slice(c + 1).replace(/^=/, '')
          if (rest) options.push({name, value: rest, word})
          else if (k + 1 < words.length) options.push({name, value: words[++k].value, word})
          else options.push({name, word})
          break
        }
        options.push({name, word})
      }
      continue
    }
    operands.push(word)
  }
  return {options, operands}
}

export interface PackageCall {
  command: ShellCommand
  /** argv after wrappers (`sudo`, `env`): argv[0] is the tool. */
  argv: ShellWord[]
  /** The subcommand word (`install`, `add`, `update`). */
  subcommand: ShellWord
  options: ParsedOption[]
  /** Operands after the subcommand: packages. */
  packages: ShellWord[]
  /** The command before this one in the script (its pipe partner when `command.before` is `|`). */
  previous?: ShellCommand
}

const APT_VALUE_OPTIONS = new Set(['o', 'c', 't', 'a', 'option', 'config-file', 'target-release', 'default-release', 'host-architecture'])
const APK_VALUE_OPTIONS = new Set(['X', 'repository', 't', 'virtual', 'p', 'root', 'arch', 'keys-dir', 'repositories-file', 'cache-dir', 'cache-max-age'])
const PIP_VALUE_OPTIONS = new Set(['r', 'requirement', 'c', 'constraint', 'e', 'editable', 't', 'target', 'i', 'index-url', 'extra-index-url', 'f', 'find-links', 'prefix', 'root', 'src', 'platform', 'python-version', 'implementation', 'abi', 'upgrade-strategy', 'progress-bar', 'log', 'proxy', 'retries', 'timeout', 'exists-action', 'trusted-host', 'cert', 'client-cert', 'cache-dir', 'only-binary', 'no-binary', 'config-settings', 'C', 'global-option', 'report'])

function toolCalls(script: ShellScript, tool: string, valueOptions: ReadonlySet<string>, subcommand?: string): PackageCall[] {
  // Five rules ask for `apt-get install` calls of the same scripts: parse them once (callers must not modify the result).
  const key = callKey(tool, subcommand)
  const known = recall<PackageCall[]>(script, key)
  if (known !== NOT_YET) return known
  return remember(script, key, findToolCalls(script, tool, valueOptions, subcommand))
}

/**
 * The memo keys of (tool, subcommand) pairs. A handful exist (apt-get install, apt-get update, apk
 * add…) and the rules ask with string literals: a short list compared with === costs less than two
 * Map lookups per call.
 */
const callKeys: {tool: string; subcommand: string; key: MemoKey}[] = []

function callKey(tool: string, subcommand = ''): MemoKey {
  for (const entry of callKeys) if (entry.tool === tool && entry.subcommand === subcommand) return entry.key
  const key = memoKey('script', `${tool} ${subcommand}`)
  callKeys.push({tool, subcommand, key})
  return key
}

function findToolCalls(script: ShellScript, tool: string, valueOptions: ReadonlySet<string>, subcommand?: string): PackageCall[] {
  const calls: PackageCall[] = []
  const named = commandsNamed(script, tool)
  // An index loop: commandsNamed answers with a frozen empty list or a plain one, and for...of over
  // both kinds allocated an iterator result per step.
  for (let k = 0; k < named.length; k++) {
    const {command, argv} = named[k]
    const {options, operands} = parseArgs(argv.slice(1), valueOptions)
    if (operands.length === 0 || (subcommand !== undefined && operands[0].value !== subcommand)) continue
    calls.push({command, argv, subcommand: operands[0], options, packages: operands.slice(1), previous: script.commands[script.commands.indexOf(command) - 1]})
  }
  return calls
}

/** `apt-get <subcommand>` calls (through `sudo`/`env`), optionally only one subcommand. */
export function aptGetCalls(script: ShellScript, subcommand?: string): PackageCall[] {
  return toolCalls(script, 'apt-get', APT_VALUE_OPTIONS, subcommand)
}

/** `apk <subcommand>` calls; apk accepts global options before the subcommand. */
export function apkCalls(script: ShellScript, subcommand?: string): PackageCall[] {
  return toolCalls(script, 'apk', APK_VALUE_OPTIONS, subcommand)
}

/** `pip install`, `pip3 install`, `python3 -m pip install` calls. */
export function pipInstallCalls(script: ShellScript): PackageCall[] {
  const known = recall<PackageCall[]>(script, PIP_INSTALLS)
  if (known !== NOT_YET) return known
  return remember(script, PIP_INSTALLS, findPipInstalls(script))
}

const PIP_INSTALLS = memoKey('script', 'pip install calls')

function findPipInstalls(script: ShellScript): PackageCall[] {
  const calls: PackageCall[] = []
  for (let index = 0; index < script.commands.length; index++) {
    const command = script.commands[index]
    let argv = effectiveArgv(command)
    const name = commandName(argv[0])
    // Both names below start with "p": skip the regular expressions for every other command.
    if (name.charCodeAt(0) !== 112) continue
    if (/^python[\d.]*$/.test(name) && argv[1]?.value === '-m' && /^pip[\d.]*$/.test(argv[2]?.value ?? '')) argv = argv.slice(2)
    else if (!/^pip[\d.]*$/.test(name)) continue
    const {options, operands} = parseArgs(argv.slice(1), PIP_VALUE_OPTIONS)
    if (operands[0]?.value !== 'install') continue
    calls.push({command, argv, subcommand: operands[0], options, packages: operands.slice(1), previous: script.commands[index - 1]})
  }
  return calls
}

/** Whether a parsed option list contains one of the names (without dashes). */
export function hasOption(options: ParsedOption[], ...names: string[]): boolean {
  return options.some((o) => names.includes(o.name))
}

/** Commands whose (unwrapped) name is `name`; `sudo` itself is found with `unwrap: false`. */
export function commandsNamed(script: ShellScript, name: string, unwrap = true): readonly NamedCommand[] {
  const key = unwrap ? BY_NAME : BY_WRITTEN_NAME
  let index = recall<Map<string, NamedCommand[]>>(script, key)
  if (index === NOT_YET) index = remember(script, key, indexCommands(script, unwrap))
  return index.get(name) ?? NO_COMMANDS
}

export interface NamedCommand {
  command: ShellCommand
  argv: ShellWord[]
}

// Seven rules look for commands by name in every script: one index per script answers them all.
const BY_NAME = memoKey('script', 'commands by unwrapped name')
const BY_WRITTEN_NAME = memoKey('script', 'commands by name as written')
const NO_COMMANDS: readonly NamedCommand[] = Object.freeze([])

function indexCommands(script: ShellScript, unwrap: boolean): Map<string, NamedCommand[]> {
  const index = new Map<string, NamedCommand[]>()
  for (const command of script.commands) {
    const argv = unwrap ? effectiveArgv(command) : command.argv
    const name = commandName(argv[0])
    const list = index.get(name)
    if (list) list.push({command, argv})
    else index.set(name, [{command, argv}])
  }
  return index
}

/** Whether the script has a pipeline (`a | b`); `||` is not a pipe. */
export function hasPipe(script: ShellScript): boolean {
  return script.commands.some((c) => c.after === '|' || c.after === '|&')
}

/**
 * The SHELL in effect for an instruction of a stage: the last SHELL before it in the stage or,
 * failing that, in the stage it is built from; Docker's default otherwise.
 */
export function activeShell(model: DockerfileModel, stage: Stage, before?: Instruction): readonly string[] {
  let stageShells = recall<Instruction[]>(stage, SHELLS_OF_STAGE)
  if (stageShells === NOT_YET) stageShells = remember(stage, SHELLS_OF_STAGE, stage.instructions.filter((i) => i.getKeyword() === 'SHELL'))
  if (stageShells.length > 0) {
    // The last SHELL that starts before `before`.
    const beforeLine = before?.getRange().start.line ?? Number.POSITIVE_INFINITY
    let k = stageShells.length - 1
    while (k >= 0 && stageShells[k].getRange().start.line >= beforeLine) k--
    if (k >= 0) {
      const argv = execForm(model, stageShells[k])
      if (argv && argv.length > 0) return argv.map((e) => e.value)
    }
  }
  if (stage.baseStage !== undefined && model.stages[stage.baseStage]) return activeShell(model, model.stages[stage.baseStage])
  return DEFAULT_SHELL
}

/** Docker's default SHELL, shared (callers only read it). */
const DEFAULT_SHELL: readonly string[] = Object.freeze(['/bin/sh', '-c'])

const SHELLS_OF_STAGE = memoKey('stage', 'shells')

/** A shell that is not POSIX (PowerShell, cmd): shell-syntax rules and ShellCheck stay silent. */
export function isNonPosixShell(shell: readonly string[]): boolean {
  return /pwsh|powershell|cmd(\.exe)?$/i.test(shell[0] ?? '')
}
