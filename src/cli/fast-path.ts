/**
 * The fast path: `dk save|load|build|lint` with an ordinary command line run without loading
 * @oclif/core (~100–160 ms of CPU, most of what dk costs over `node -e 0` for a small lint).
 *
 * How it works: bin/run.js calls `runFastPath(argv)` when argv[0] is one of FAST_COMMANDS. It loads
 * that command's CommandSpec (src/cli/commands/<id>.ts, the same definition the oclif class in
 * commands/<id>.ts adapts), parses the rest with parseFast (fast-argv.ts) and runs the body with a
 * CommandIO, whose error and --json rendering is the one DkCommand uses. It returns false, having
 * done nothing, whenever oclif might behave differently, and bin/run.js then runs oclif as before.
 *
 * Rules for whoever touches this:
 * - Byte-for-byte: stdout, stderr and the exit code must equal the oclif path's for every command
 *   line the fast path accepts (test/cli/fast-path.test.ts runs both and compares). When unsure,
 *   decline; oclif is never wrong about oclif.
 * - Stay small: this module and the definitions import only light modules at the top; heavy ones
 *   (the engine, the linter) are `await import`ed inside `run`. Nothing here may import @oclif/core,
 *   nor dockerode for lint (test/cli/fast-path.test.ts lists the CommonJS modules a run loaded).
 * - What else oclif does on the way, and which the fast path must keep doing or decline for: the
 *   EPIPE guard on stdout, dropping DK_REDIRECTED, the environment in environmentDeclines, user
 *   plugins (userPluginsFile), a vanished working directory. bin/run.js flushes and exits after
 *   both paths alike; Ctrl-C is the body's own business (src/cli/interrupt.ts), the same on both.
 * - `DK_NO_FAST_PATH=1` forces oclif, for tests and for bisecting a difference.
 * - A new fast command: write its CommandSpec, make commands/<id>.ts its adapter, add it to
 *   `definitions` below and to FAST_COMMANDS in bin/run.js, and add its rows to the differential test.
 */
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {isatty} from 'node:tty'

import {CommandIO, writeJson} from './command-io.js'
import type {CommandSpec} from './command-spec.js'
import {parseFast} from './fast-argv.js'
import {prepareColors} from './output.js'

const definitions: Record<string, () => Promise<CommandSpec>> = {
  build: async () => (await import('./commands/build.js')).build as unknown as CommandSpec,
  lint: async () => (await import('./commands/lint.js')).lint as unknown as CommandSpec,
  load: async () => (await import('./commands/load.js')).load as unknown as CommandSpec,
  save: async () => (await import('./commands/save.js')).save as unknown as CommandSpec,
}

export const fastCommands: readonly string[] = Object.keys(definitions)

/**
 * Why the environment rules the fast path out, or undefined. Each variable changes what oclif
 * prints or how it decides: DEBUG (oclif's own debug lines for oclif:* and dk:<id>, and dk's
 * stack traces, whose frames name the path that ran), DK_DEBUG and CLI_FLAGS_DEBUG (more oclif
 * debug), DK_CONTENT_TYPE=json (--json from the environment), and a development NODE_ENV (oclif
 * then loads TypeScript sources and warns).
 */
export function environmentDeclines(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DK_NO_FAST_PATH && env.DK_NO_FAST_PATH !== '0') return 'DK_NO_FAST_PATH'
  for (const key of ['DEBUG', 'DK_DEBUG', 'DK_CONTENT_TYPE', 'CLI_FLAGS_DEBUG']) if (env[key]) return key
  if (env.NODE_ENV === 'development' || env.NODE_ENV === 'test') return `NODE_ENV=${env.NODE_ENV}`
  return undefined
}

/**
 * Where oclif looks for user-installed plugins (config.js `dataDir`, plugin-loader.js
 * `loadUserPlugins`). dk offers no way to install any, but a plugin found there could add hooks or
 * commands, so when the file exists oclif decides.
 */
export function userPluginsFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const base = env.XDG_DATA_HOME || (platform === 'win32' && env.LOCALAPPDATA) || join(env.HOME || homedir(), '.local/share')
  return join(env.DK_DATA_DIR || join(base, 'dk'), 'package.json')
}

export interface FastPathOptions {
  /** dk's version (package.json), read only if a command asks. */
  version: () => string
}

/**
 * Run `argv` (without the node and script paths) if the fast path can; false when it declined,
 * before any output or side effect.
 */
export async function runFastPath(argv: readonly string[], options: FastPathOptions): Promise<boolean> {
  const load = Object.hasOwn(definitions, argv[0] ?? '') ? definitions[argv[0]] : undefined
  if (!load || environmentDeclines(process.env) || existsSync(userPluginsFile(process.env))) return false
  try {
    process.cwd()
  } catch {
    // oclif warns about a vanished working directory; let it.
    return false
  }
  const spec = await load()
  // isatty, not process.stdin.isTTY: the latter opens the stdin stream, which oclif does only when it reads.
  const result = parseFast(spec, argv.slice(1), {stdinIsTTY: isatty(0)})
  if (!result.ok) return false

  const {flags, args, argv: words, json} = result.parsed
  // What @oclif/core does on the way into a command: ignore EPIPE on stdout (`dk save -o - x | head`)
  // and drop DK_REDIRECTED (command.js).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error?.code === 'EPIPE') return
    throw error
  })
  delete process.env.DK_REDIRECTED

  await prepareColors()
  const io = new CommandIO(spec.id, () => json, options.version)
  let data: unknown
  try {
    data = await spec.run({flags, args, argv: words} as unknown as Parameters<CommandSpec['run']>[0], io)
  } catch (error) {
    io.fail(error as Error)
    return true
  }
  io.settle()
  if (data && json) writeJson(io.successEnvelope(data))
  return true
}
