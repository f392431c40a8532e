/**
 * A command-line parser for the fast path (fast-path.ts) that either gives exactly what oclif 4's
 * parser would give for the same CommandSpec (flags, args, argv, and whether --json is on) or
 * declines. Declining is always safe: the caller then hands the command line to oclif, which
 * prints its usage errors, "Did you mean" hints and help as before. So the rules are: model only
 * what dk's hot commands use, copy oclif's behaviour where it is accepted (even where it is odd),
 * and decline everything else. Each rule below names the oclif behaviour it mirrors
 * (@oclif/core 4.14 lib/parser/parse.js, validate.js, command.js `jsonEnabled`, main.js `helpAddition`).
 *
 * Accepted: `--flag value`, `--flag=value`, `-f value`, `-fvalue`, `-f=value`, booleans (`--fix`,
 * `-q`, repeated or not), repeatable string flags (`-t a -t b`; a greedy one also takes the bare
 * words after it, as oclif does), `--json` anywhere before `--`, `--`, `-` as a value or a word,
 * option lists, defaults, extra words when the spec is not strict.
 *
 * Declined: `--help` (anywhere before `--`), unknown flags (also `-h`, negative numbers and
 * `--no-*`), a missing or empty value, a value that starts with `-` (other than `-` itself),
 * `--bool=value`, bundled short flags (`-qf`), a non-repeatable flag given twice, a value outside a
 * flag's options, too many or too few words, and a missing word while standard input is not a
 * terminal (oclif then reads standard input, with a 10 ms timeout, as that word, unless the arg
 * sets `ignoreStdin`).
 */
import type {ArgSpec, CommandSpec, FlagSpec} from './command-spec.js'

export interface FastParse {
  flags: Record<string, boolean | string | string[]>
  args: Record<string, string>
  argv: string[]
  /** oclif's `jsonEnabled()`: `--json` before any `--`. */
  json: boolean
}

export type FastParseResult = {ok: true; parsed: FastParse} | {ok: false; reason: string}

export interface FastParseContext {
  /** Whether standard input is a terminal (oclif reads a missing word from it otherwise). */
  stdinIsTTY: boolean
}

/** The flag every DkCommand has (`enableJsonFlag`). */
const JSON_FLAG: FlagSpec = {type: 'boolean', description: 'Format output as json.', helpGroup: 'GLOBAL'}

export function parseFast(spec: Pick<CommandSpec, 'flags' | 'args' | 'strict'>, argv: readonly string[], context: FastParseContext): FastParseResult {
  const decline = (reason: string): FastParseResult => ({ok: false, reason})
  const flags: Record<string, FlagSpec> = {...spec.flags, json: JSON_FLAG}

  // main.js helpAddition: `--help` anywhere before `--` shows help, even as a flag's value.
  for (const token of argv) {
    if (token === '--') break
    if (token === '--help') return decline('--help')
  }

  const given = new Map<string, string[]>()
  const words: string[] = []
  let parsingFlags = true
  // parse.js `currentFlag`: the last string flag seen; booleans do not reset it.
  let current: (FlagSpec & {type: 'string'}) | undefined
  let currentName = ''

  const record = (name: string, value: string): void => {
    const list = given.get(name) ?? []
    list.push(value)
    given.set(name, list)
  }

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (parsingFlags && token.startsWith('-') && token !== '-') {
      if (token === '--') {
        parsingFlags = false
        continue
      }
      let name: string | undefined
      let inline: string | undefined
      if (token.startsWith('--')) {
        const body = token.slice(2)
        const eq = body.indexOf('=')
        const candidate = eq === -1 ? body : body.slice(0, eq)
        if (!Object.hasOwn(flags, candidate)) return decline(`unknown flag ${token}`)
        name = candidate
        if (eq !== -1) inline = body.slice(eq + 1)
      } else {
        const char = token[1]
        name = Object.keys(flags).find((key) => flags[key].char !== undefined && flags[key].char === char)
        if (name === undefined) return decline(`unknown flag ${token}`)
        if (token.length > 2) inline = token.slice(token[2] === '=' ? 3 : 2)
      }
      const flag = flags[name]
      if (flag.type === 'boolean') {
        // oclif would push `=value` back as a word, or read `-qf` as two flags: decline both.
        if (inline !== undefined) return decline(`value given to boolean ${token}`)
        record(name, token)
        continue
      }
      const value = inline ?? argv[++i]
      if (value === undefined) return decline(`${token} without a value`)
      if (value === '') return decline(`${token} with an empty value`)
      if (value.startsWith('-') && value !== '-') return decline(`${token} followed by ${value}`)
      if (!flag.multiple && given.has(name)) return decline(`--${name} given twice`)
      if (flag.options && !flag.options.includes(value)) return decline(`--${name} ${value} is not one of its options`)
      record(name, value)
      current = flag
      currentName = name
      continue
    }
    if (parsingFlags && current?.multiple && !current.multipleNonGreedy) {
      if (current.options && !current.options.includes(token)) return decline(`--${currentName} ${token} is not one of its options`)
      record(currentName, token)
      continue
    }
    words.push(token)
  }

  // _args(), non-variadic: the n-th word is the n-th arg; extra words follow in argv.
  const argSpecs = Object.entries(spec.args) as Array<[string, ArgSpec]>
  if (spec.strict !== false && words.length > argSpecs.length) return decline('too many arguments')
  const args: Record<string, string> = {}
  const parsedArgv: string[] = []
  for (const [index, [name, arg]] of argSpecs.entries()) {
    const word = words[index]
    if (word === undefined) {
      if (!context.stdinIsTTY && !arg.ignoreStdin) return decline(`no ${name}, and oclif would read it from standard input`)
      if (arg.default) {
        args[name] = arg.default
        parsedArgv.push(arg.default)
      } else if (arg.required) {
        return decline(`missing ${name}`)
      }
    } else {
      args[name] = word
      parsedArgv.push(word)
    }
  }
  parsedArgv.push(...words.slice(argSpecs.length))
  // parse.js sorts argv by each word's first position in the command line, duplicates included.
  parsedArgv.sort((a, b) => argv.indexOf(a) - argv.indexOf(b))

  // _flags(): given values, then defaults; absent booleans and flags without default are left out.
  const values: Record<string, boolean | string | string[]> = {}
  for (const [name, flag] of Object.entries(flags)) {
    const list = given.get(name)
    if (flag.type === 'boolean') {
      if (list) values[name] = true
    } else if (list) {
      values[name] = flag.multiple ? list : list.at(-1)!
    } else if (flag.default !== undefined) {
      values[name] = flag.default
    }
  }

  // command.js jsonEnabled(): the raw command line, `--json` before the first `--`.
  const dashdash = argv.indexOf('--')
  const jsonAt = argv.indexOf('--json')
  const json = jsonAt !== -1 && (dashdash === -1 || jsonAt < dashdash)

  return {ok: true, parsed: {flags: values, args, argv: parsedArgv, json}}
}
