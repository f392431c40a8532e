/**
 * `dk exec [OPTIONS] CONTAINER COMMAND [ARG...]` with docker's grammar: options stop at the container,
 * so `dk exec web ls -l` passes -l to ls.
 */
import {UsageError} from '../cli/errors.js'
import {type FlagDef, scanFlags, validateEnv} from './run-spec.js'

export const EXEC_FLAGS: FlagDef[] = [
  {long: 'interactive', short: 'i', kind: 'bool', description: 'Keep stdin open and attach it'},
  {long: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY'},
  {long: 'detach', short: 'd', kind: 'bool', description: 'Run the command in the background'},
  {long: 'env', short: 'e', kind: 'list', description: 'Set an environment variable: K=V, or K to copy it from your environment'},
  {long: 'user', short: 'u', kind: 'string', description: 'User: name|uid[:group|gid]'},
  {long: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container'},
  {long: 'host', short: 'H', kind: 'string', description: 'Docker engine to talk to'},
  {long: 'json', kind: 'bool', description: 'Format output as JSON'},
]

export interface ExecSpec {
  container: string
  cmd: string[]
  interactive: boolean
  tty: boolean
  detach: boolean
  env?: string[]
  user?: string
  workdir?: string
}

export function parseExecArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): {spec: ExecSpec; host?: string; json: boolean} {
  const {values, positionals} = scanFlags(argv, EXEC_FLAGS, 'exec')
  if (positionals.length < 2) {
    throw new UsageError('"dk exec" requires at least 2 arguments: the container and the command.', {
      hint: 'Usage: dk exec [OPTIONS] CONTAINER COMMAND [ARG...], e.g. `dk exec web ls /`.',
    })
  }
  const last = (name: string) => values.get(name)?.at(-1)
  const bool = (name: string) => last(name) === 'true'
  const [container, ...cmd] = positionals
  const spec: ExecSpec = {container, cmd, interactive: bool('interactive'), tty: bool('tty'), detach: bool('detach')}
  const envList = (values.get('env') ?? []).map((e) => validateEnv(e, env))
  if (envList.length > 0) spec.env = envList
  if (last('user') !== undefined) spec.user = last('user')
  if (last('workdir') !== undefined) spec.workdir = last('workdir')
  return {spec, host: last('host'), json: bool('json')}
}
