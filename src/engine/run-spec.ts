/**
 * `dk run`'s command line, parsed with Docker's own grammar (spf13/pflag as the docker CLI configures
 * it for `run`): options stop at the first non-option word (the image), so `dk run busybox ls -l`
 * passes `-l` to the container; `--` ends the options; `-dit`, `-p80`, `-p=80`, `--name=x`, `--name x`
 * and `--rm=false` all work; repeated flags accumulate. The result is a `RunSpec`, the one value the
 * rest of dk (create, attach, exercises) works with. Pure except for reading `--env-file`/`--label-file`
 * and the caller's environment for `-e NAME`.
 */
import {readFileSync} from 'node:fs'
import {isAbsolute as isPosixAbsolute} from 'node:path/posix'

import {UsageError, fileError} from '../cli/errors.js'
import {type PortBinding, parseExposed, parsePortSpec} from './port-spec.js'

export interface LinkSpec {
  /** The container linked to (name or id, no leading slash). */
  name: string
  /** The alias inside this container; Docker defaults it to the name. */
  alias: string
}

export interface VolumeSpec {
  /** Absolute host path (bind), a volume name, or undefined for an anonymous volume. */
  source?: string
  target: string
  /** bind = host path, volume = named volume, anonymous = `-v /data`. */
  type: 'bind' | 'volume' | 'anonymous'
  readOnly: boolean
  /** The `-v` value as written, passed to the engine's Binds (it keeps z/Z, nocopy, propagation). */
  raw: string
}

export interface RestartPolicy {
  name: 'no' | 'always' | 'unless-stopped' | 'on-failure'
  maximumRetryCount: number
}

/** Everything needed to create and run one container; what `docker run`'s flags describe. */
export interface RunSpec {
  image: string
  /** Arguments after the image; undefined keeps the image's CMD. */
  cmd?: string[]
  /** `--entrypoint` (one word, like Docker); "" resets the image's ENTRYPOINT. */
  entrypoint?: string
  name?: string
  detach?: boolean
  interactive?: boolean
  tty?: boolean
  /** "K=V" (or "K" when unset in dk's environment, which Docker passes on as is). */
  env?: string[]
  ports?: PortBinding[]
  publishAll?: boolean
  /** Extra `--expose` ports: "8080/tcp". */
  expose?: string[]
  links?: LinkSpec[]
  volumes?: VolumeSpec[]
  /** --rm: the engine removes the container when it exits (AutoRemove). */
  rm?: boolean
  workdir?: string
  user?: string
  hostname?: string
  init?: boolean
  restart?: RestartPolicy
  /** The user's labels; dk adds its own (`io.dk.managed`). */
  labels?: Record<string, string>
  network?: string
  stopTimeout?: number
  stopSignal?: string
  /** Forward signals received by dk to the container (default true, like `docker run --sig-proxy`). */
  sigProxy?: boolean
}

/** The flags `dk run` understands, in the docker CLI's spelling. `kind` says how a value is read. */
export interface FlagDef {
  long: string
  short?: string
  kind: 'bool' | 'string' | 'list' | 'int'
  description: string
}

export const RUN_FLAGS: FlagDef[] = [
  {long: 'detach', short: 'd', kind: 'bool', description: 'Run in the background and print the container id'},
  {long: 'publish', short: 'p', kind: 'list', description: 'Publish a container port: [IP:][HOST:]CONTAINER[/PROTO], ranges allowed'},
  {long: 'publish-all', short: 'P', kind: 'bool', description: 'Publish every EXPOSEd port on a random host port'},
  {long: 'expose', kind: 'list', description: 'Expose a port or range without publishing it'},
  {long: 'name', kind: 'string', description: 'Name the container'},
  {long: 'link', kind: 'list', description: 'Link to another container: NAME[:ALIAS]'},
  {long: 'env', short: 'e', kind: 'list', description: 'Set an environment variable: K=V, or K to copy it from your environment'},
  {long: 'env-file', kind: 'list', description: 'Read environment variables from a file (one K=V per line)'},
  {long: 'volume', short: 'v', kind: 'list', description: 'Mount: /host/path:/ctr[:ro], NAME:/ctr[:ro], or /ctr (anonymous)'},
  {long: 'rm', kind: 'bool', description: 'Remove the container when it exits'},
  {long: 'interactive', short: 'i', kind: 'bool', description: 'Keep stdin open and attach it'},
  {long: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY'},
  {long: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container'},
  {long: 'user', short: 'u', kind: 'string', description: 'User: name|uid[:group|gid]'},
  {long: 'hostname', short: 'h', kind: 'string', description: 'Container host name'},
  {long: 'entrypoint', kind: 'string', description: 'Override the image ENTRYPOINT ("" resets it)'},
  {long: 'init', kind: 'bool', description: 'Run an init inside the container that forwards signals and reaps processes'},
  {long: 'restart', kind: 'string', description: 'Restart policy: no, always, unless-stopped, on-failure[:N]'},
  {long: 'label', short: 'l', kind: 'list', description: 'Set a label: K=V'},
  {long: 'label-file', kind: 'list', description: 'Read labels from a file'},
  {long: 'network', kind: 'string', description: 'Connect to a network (bridge, host, none, or a network name)'},
  {long: 'net', kind: 'string', description: 'Alias of --network'},
  {long: 'stop-timeout', kind: 'int', description: 'Seconds to wait before killing the container on stop'},
  {long: 'stop-signal', kind: 'string', description: 'Signal that stops the container (default SIGTERM)'},
  {long: 'sig-proxy', kind: 'bool', description: 'Forward received signals to the container (default true)'},
  // dk's own flags, accepted among the options like any other.
  {long: 'host', short: 'H', kind: 'string', description: 'Docker engine to talk to'},
  {long: 'json', kind: 'bool', description: 'Format output as JSON'},
]

/** What `parseRunArgs` returns: the spec plus dk's own options. */
export interface ParsedRun {
  spec: RunSpec
  host?: string
  json: boolean
}

export interface ParseRunContext {
  /** For `-e NAME` / `--env-file` entries without a value. */
  env?: NodeJS.ProcessEnv
  /** Reads `--env-file`/`--label-file` (tests pass their own). */
  readFile?: (path: string) => string
  platform?: NodeJS.Platform
}

/** Parse `dk run`'s argv (everything after `run`). Throws UsageError with Docker's wording. */
export function parseRunArgs(argv: string[], context: ParseRunContext = {}): ParsedRun {
  const {values, positionals} = scanFlags(argv)
  if (positionals.length === 0) {
    throw new UsageError('"dk run" requires at least 1 argument: the image to run.', {
      hint: 'Usage: dk run [OPTIONS] IMAGE [COMMAND] [ARG...], e.g. `dk run --rm busybox echo hi`.',
    })
  }
  const env = context.env ?? process.env
  const readFile = context.readFile ?? ((p: string) => readFileSync(p, 'utf8'))
  const bool = (name: string) => values.get(name)?.at(-1) === 'true'
  const last = (name: string) => values.get(name)?.at(-1)
  const all = (name: string) => values.get(name) ?? []

  const [image, ...rest] = positionals
  if (image === '') throw new UsageError('The image name is empty.', {hint: 'Usage: dk run [OPTIONS] IMAGE [COMMAND] [ARG...]'})
  const spec: RunSpec = {image}
  if (rest.length > 0) spec.cmd = rest

  spec.detach = bool('detach')
  spec.interactive = bool('interactive')
  spec.tty = bool('tty')
  spec.rm = bool('rm')
  spec.publishAll = bool('publish-all')
  spec.init = bool('init')
  spec.sigProxy = values.has('sig-proxy') ? bool('sig-proxy') : true

  const name = last('name')
  if (name !== undefined) spec.name = validateName(name)
  if (values.has('entrypoint')) spec.entrypoint = last('entrypoint')
  for (const key of ['workdir', 'user', 'hostname', 'stop-signal'] as const) {
    const value = last(key)
    if (value === undefined) continue
    if (key === 'workdir') {
      if (!isPosixAbsolute(value) && !/^[A-Za-z]:[\\/]/.test(value)) {
        throw new UsageError(`The working directory "${value}" is invalid: it needs to be an absolute path.`, {hint: 'Use e.g. `-w /app`.'})
      }
      spec.workdir = value
    } else if (key === 'user') spec.user = value
    else if (key === 'hostname') spec.hostname = value
    else spec.stopSignal = value
  }
  const network = last('network') ?? last('net')
  if (network !== undefined) spec.network = network
  if (values.has('stop-timeout')) spec.stopTimeout = Number(last('stop-timeout'))

  const ports = all('publish').flatMap((p) => parsePortSpec(p))
  if (ports.length > 0) spec.ports = ports
  const expose = all('expose').flatMap((e) => parseExposed(e).map((p) => `${p.containerPort}/${p.protocol}`))
  if (expose.length > 0) spec.expose = expose

  const links = all('link').map(parseLink)
  if (links.length > 0) spec.links = links

  // Docker reads env files first, then -e, so -e wins for the same name.
  const envList = [
    ...all('env-file').flatMap((file) => parseEnvFile(file, readFile, env)),
    ...all('env').map((e) => validateEnv(e, env)),
  ]
  if (envList.length > 0) spec.env = envList

  const labelEntries = [...all('label-file').flatMap((file) => parseKeyValueFile(file, readFile, undefined)), ...all('label')]
  if (labelEntries.length > 0) {
    spec.labels = {}
    for (const entry of labelEntries) {
      const eq = entry.indexOf('=')
      const key = eq === -1 ? entry : entry.slice(0, eq)
      if (key === '') throw new UsageError(`Invalid label "${entry}": the name is empty.`, {hint: 'Use -l KEY=VALUE.'})
      spec.labels[key] = eq === -1 ? '' : entry.slice(eq + 1)
    }
  }

  const volumes = all('volume').map((v) => parseVolume(v, context.platform ?? process.platform))
  if (volumes.length > 0) spec.volumes = volumes

  const restart = last('restart')
  if (restart !== undefined) spec.restart = parseRestart(restart)
  if (spec.rm && spec.restart && spec.restart.name !== 'no') {
    throw new UsageError('Conflicting options: --restart and --rm.', {hint: 'A container removed when it exits cannot be restarted; drop one of them.'})
  }
  return {spec, host: last('host'), json: bool('json')}
}

/** True when `--json` appears among dk run's options (before the image), never in the container's command. */
export function runArgsWantJson(argv: string[], flags: FlagDef[] = RUN_FLAGS): boolean {
  try {
    return scanFlags(argv, flags).values.get('json')?.at(-1) === 'true'
  } catch {
    return argv.slice(0, Math.max(0, argv.indexOf('--'))).includes('--json')
  }
}

const BOOL_VALUES = new Map([
  ['1', true], ['t', true], ['T', true], ['true', true], ['TRUE', true], ['True', true],
  ['0', false], ['f', false], ['F', false], ['false', false], ['FALSE', false], ['False', false],
])

/**
 * pflag with SetInterspersed(false), as docker's `run` and `exec` use it: values per long flag name,
 * and the words from the first non-option on (the image, or the container for exec).
 */
export function scanFlags(argv: string[], flags: FlagDef[] = RUN_FLAGS, command = 'run'): {values: Map<string, string[]>; positionals: string[]} {
  const byLong = new Map(flags.map((f) => [f.long, f]))
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short as string, f]))
  const values = new Map<string, string[]>()
  const put = (flag: FlagDef, value: string) => {
    if (flag.kind === 'bool') {
      const parsed = BOOL_VALUES.get(value)
      if (parsed === undefined) throw badValue(value, flag, 'strconv.ParseBool: parsing "' + value + '": invalid syntax')
      value = String(parsed)
    } else if (flag.kind === 'int' && !/^[+-]?\d+$/.test(value)) {
      throw badValue(value, flag, `strconv.ParseInt: parsing "${value}": invalid syntax`)
    }
    const list = values.get(flag.long) ?? []
    list.push(value)
    values.set(flag.long, list)
  }
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    if (arg === '--') return {values, positionals: argv.slice(i + 1)}
    if (!arg.startsWith('-') || arg === '-') return {values, positionals: argv.slice(i)}
    if (arg.startsWith('--')) {
      const body = arg.slice(2)
      const eq = body.indexOf('=')
      const name = eq === -1 ? body : body.slice(0, eq)
      const flag = byLong.get(name)
      if (!flag) throw unknownFlag(`--${name}`, command)
      if (eq !== -1) put(flag, body.slice(eq + 1))
      else if (flag.kind === 'bool') put(flag, 'true')
      else if (i + 1 < argv.length) put(flag, argv[++i])
      else throw needsArgument(flag)
      i++
      continue
    }
    // A group of short flags: bools may be combined (-dit); a value flag takes the rest (-p80, -p=80) or the next word.
    const shorts = arg.slice(1)
    for (let j = 0; j < shorts.length; j++) {
      const c = shorts[j]
      const flag = byShort.get(c)
      if (!flag) throw unknownFlag(`-${c}`, command, arg)
      const remainder = shorts.slice(j + 1)
      if (flag.kind === 'bool') {
        if (remainder.startsWith('=')) {
          put(flag, remainder.slice(1))
          break
        }
        put(flag, 'true')
        continue
      }
      if (remainder.length > 0) put(flag, remainder.startsWith('=') ? remainder.slice(1) : remainder)
      else if (i + 1 < argv.length) put(flag, argv[++i])
      else throw needsArgument(flag, c)
      break
    }
    i++
  }
  return {values, positionals: []}
}

function unknownFlag(flag: string, command: string, group?: string): UsageError {
  const message = flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag.slice(1)}' in ${group}`
  const where = command === 'run' ? 'the image; words after it are the container\'s command' : 'the container; words after it are the command'
  return new UsageError(message, {hint: `See \`dk ${command} --help\`. Options go before ${where}.`})
}

function needsArgument(flag: FlagDef, short?: string): UsageError {
  const shown = short ? `'${short}' in -${short}` : `--${flag.long}`
  return new UsageError(`flag needs an argument: ${shown}`, {hint: `--${flag.long}: ${flag.description}.`})
}

function badValue(value: string, flag: FlagDef, reason: string): UsageError {
  return new UsageError(`invalid argument "${value}" for "${flag.short ? `-${flag.short}, ` : ''}--${flag.long}" flag: ${reason}`, {
    hint: `--${flag.long}: ${flag.description}.`,
  })
}

/** Docker's container name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (a leading slash is allowed and dropped). */
export function validateName(raw: string): string {
  const name = raw.startsWith('/') ? raw.slice(1) : raw
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
    throw new UsageError(`Invalid container name "${raw}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two characters.`, {
      hint: 'Use letters, digits, "_", "." and "-", starting with a letter or digit, e.g. --name web-1.',
    })
  }
  return name
}

/** `--link NAME[:ALIAS]`. */
export function parseLink(value: string): LinkSpec {
  const parts = value.split(':')
  if (value === '' || parts.length > 2 || parts.some((p) => p === '')) {
    throw new UsageError(`Invalid link "${value}": expected NAME or NAME:ALIAS.`, {hint: 'e.g. --link db:db (the container named db, known as "db" inside this one).'})
  }
  const name = parts[0].replace(/^\//, '')
  return {name, alias: (parts[1] ?? name).replace(/^\//, '')}
}

/** `-e K=V` as is; `-e K` takes K from dk's environment, or passes "K" on when unset (Docker does the same). */
export function validateEnv(value: string, env: NodeJS.ProcessEnv): string {
  const eq = value.indexOf('=')
  const key = eq === -1 ? value : value.slice(0, eq)
  if (key === '') throw new UsageError(`Invalid environment variable "${value}": the name is empty.`, {hint: 'Use -e NAME=VALUE or -e NAME.'})
  if (eq !== -1) return value
  const found = env[key]
  return found === undefined ? value : `${key}=${found}`
}

/** Docker's env-file format: `K=V` kept verbatim (no quotes removed), `K` copied from the environment, `#` comments. */
export function parseEnvFile(path: string, readFile: (p: string) => string, env: NodeJS.ProcessEnv): string[] {
  return parseKeyValueFile(path, readFile, (name) => env[name])
}

function parseKeyValueFile(path: string, readFile: (p: string) => string, lookup: ((name: string) => string | undefined) | undefined): string[] {
  let text: string
  try {
    text = readFile(path)
  } catch (error) {
    throw fileError(error, path, 'env file')
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const out: string[] = []
  const lines = text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '')
    const line = raw.replace(/^[ \t\n\v\f\r]+/, '')
    if (line === '' || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    // Docker trims the front of the name only; any other space or tab in it is an error.
    const variable = (eq === -1 ? line : line.slice(0, eq)).replace(/^[ \t]+/, '')
    const column = raw.length - line.length + 1
    const space = variable.search(/[ \t]/)
    if (space !== -1) {
      throw new UsageError(`Variable '${variable}' contains whitespaces.`, {
        location: `${path}:${n + 1}:${column + space}`,
        hint: 'Write NAME=VALUE with no space before "="; the value is kept verbatim (quotes included).',
      })
    }
    if (variable === '') {
      throw new UsageError(`No variable name on line '${line}'.`, {location: `${path}:${n + 1}:${column}`, hint: 'Each line is NAME=VALUE, NAME, or a # comment.'})
    }
    if (eq !== -1) out.push(`${variable}=${line.slice(eq + 1)}`)
    else if (lookup) {
      const value = lookup(variable)
      if (value !== undefined) out.push(`${variable}=${value}`)
    }
  }
  return out
}

/**
 * `-v` the way Docker reads it on a Linux engine: `SRC:DST[:OPTS]` or `DST`. An absolute SRC is a bind
 * mount; a plain word a named volume; anything else (./data, data/x) is refused like Docker 20.10 does,
 * because a relative host path is ambiguous (relative to what, on which machine?).
 */
export function parseVolume(raw: string, platform: NodeJS.Platform = process.platform): VolumeSpec {
  const bad = (reason: string, hint = 'Use /host/path:/container/path[:ro], NAME:/container/path[:ro] or /container/path.') =>
    new UsageError(`Invalid volume "${raw}": ${reason}.`, {hint})
  if (raw === '') throw bad('empty volume spec')
  // A Windows drive letter's colon is not a separator (Docker Desktop on Windows).
  const drive = /^[A-Za-z]:[\\/]/.test(raw) ? raw.slice(0, 2) : ''
  const parts = raw.slice(drive.length).split(':')
  parts[0] = drive + parts[0]
  if (parts.length > 3) throw bad('too many colons')
  if (parts.length === 1) {
    if (!isPosixAbsolute(parts[0])) throw bad(`invalid mount path: '${parts[0]}' mount path must be absolute`)
    return {target: parts[0], type: 'anonymous', readOnly: false, raw}
  }
  const [source, target, mode = ''] = parts
  if (source === '') throw bad('the source is empty')
  if (!isPosixAbsolute(target)) throw bad(`invalid mount path: '${target}' mount path must be absolute`)
  if (target === '/') throw bad('invalid specification: destination can\'t be \'/\'')
  const options = mode === '' ? [] : mode.split(',')
  const known = /^(ro|rw|z|Z|nocopy|shared|rshared|slave|rslave|private|rprivate|delegated|cached|consistent)$/
  const unknown = options.find((o) => !known.test(o))
  if (unknown !== undefined) throw bad(`invalid mode: ${mode}`, 'Modes: ro, rw, z, Z, nocopy, and propagation (shared, slave, private…), comma-separated.')
  const readOnly = options.includes('ro')
  const isAbsolute = isPosixAbsolute(source) || (platform === 'win32' && /^[A-Za-z]:[\\/]|^\\\\/.test(source))
  if (isAbsolute) return {source, target, type: 'bind', readOnly, raw}
  if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(source)) return {source, target, type: 'volume', readOnly, raw}
  throw new UsageError(
    `Invalid volume "${raw}": "${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path.`,
    {hint: `For a folder here, write "$(pwd)/${source.replace(/^\.\//, '')}:${target}" (PowerShell: "\${PWD}/…"). For a named volume, use a plain name such as data:${target}.`},
  )
}

/** `--restart no|always|unless-stopped|on-failure[:N]`. */
export function parseRestart(value: string): RestartPolicy {
  const [name, count, extra] = value.split(':')
  const bad = () =>
    new UsageError(`Invalid restart policy "${value}".`, {hint: 'Use no, always, unless-stopped, or on-failure[:MAX_RETRIES].'})
  if (extra !== undefined) throw bad()
  if (name === '' || name === 'no') {
    if (count !== undefined) throw new UsageError(`Invalid restart policy "${value}": maximum retry count cannot be used with restart policy '${name || 'no'}'.`, {hint: 'Only on-failure takes a count, e.g. on-failure:3.'})
    return {name: 'no', maximumRetryCount: 0}
  }
  if (name === 'always' || name === 'unless-stopped') {
    if (count !== undefined) throw new UsageError(`Invalid restart policy "${value}": maximum retry count cannot be used with restart policy '${name}'.`, {hint: 'Only on-failure takes a count, e.g. on-failure:3.'})
    return {name, maximumRetryCount: 0}
  }
  if (name === 'on-failure') {
    if (count === undefined) return {name, maximumRetryCount: 0}
    if (!/^\d+$/.test(count)) throw new UsageError(`Invalid restart policy "${value}": maximum retry count must be an integer.`, {hint: 'e.g. on-failure:3.'})
    return {name, maximumRetryCount: Number(count)}
  }
  throw bad()
}
