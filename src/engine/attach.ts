/**
 * `docker run` in the foreground: attach before start (so no output is lost), stdin with -i, a raw
 * TTY with -t (resizes followed), signals forwarded to the container (sig-proxy), and the container's
 * exit code returned. With --rm the engine removes the container itself (AutoRemove), so nothing is
 * left behind even when dk is killed; dk waits for the removal before it returns.
 */
import {InterruptedError, UsageError} from '../cli/errors.js'
import type {Engine} from './connect.js'
import {apiError} from './errors.js'
import {createContainer, killContainer, pipeRaw, startContainer} from './containers.js'
import {demux} from './demux.js'
import type {RunSpec} from './run-spec.js'

export interface ForegroundIo {
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number; on?: (e: 'resize', f: () => void) => unknown}
  stderr: NodeJS.WritableStream
  /** Told when dk forwards a signal or gives up waiting (for the user's information). */
  notice?: (message: string) => void
}

export interface ForegroundResult {
  id: string
  name: string
  exitCode: number
}

/** Signals `docker run` proxies that Node lets a program catch. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2']
/** After this many interrupts dk stops waiting (and removes an --rm container), like the docker CLI. */
const GIVE_UP_AFTER = 3

export async function runForeground(engine: Engine, spec: RunSpec, io: ForegroundIo): Promise<ForegroundResult> {
  const interactive = Boolean(spec.interactive)
  const tty = Boolean(spec.tty)
  if (tty && interactive && !io.stdin.isTTY) {
    throw new UsageError('The input device is not a TTY.', {hint: 'Drop -t when stdin is a pipe or a file (keep -i), or run dk in a terminal.'})
  }
  const {id, name, container} = await createContainer(engine, {...spec, detach: false})
  let stream: NodeJS.ReadWriteStream
  try {
    stream = (await container.attach({stream: true, stdin: interactive, stdout: true, stderr: true, hijack: true})) as NodeJS.ReadWriteStream
  } catch (error) {
    // Never leave a created-but-unstarted container behind.
    await container.remove({force: true}).catch(() => undefined)
    throw apiError(error, {action: `attach to ${name}`, address: engine.address})
  }
  const output = tty ? pipeRaw(stream, io.stdout) : demux(stream, io.stdout, io.stderr)
  // Registered before start: with AutoRemove a short-lived container could otherwise be gone first.
  const waited = container.wait({condition: spec.rm ? 'removed' : 'next-exit'}) as Promise<{StatusCode: number; Error?: {Message?: string}}>
  waited.catch(() => undefined)

  const cleanups: (() => void)[] = []
  let interrupts = 0
  // Signals are caught before start (the container may print and be waited on before start() returns);
  // those that arrive while it is not started yet are delivered right after.
  let started = false
  const queued: NodeJS.Signals[] = []
  const gaveUp = new Promise<never>((_, reject) => {
    if (spec.sigProxy === false) return
    for (const signal of FORWARDED) {
      const handler = () => {
        if (signal === 'SIGINT' || signal === 'SIGTERM') interrupts++
        if (interrupts >= GIVE_UP_AFTER) {
          reject(new InterruptedError(`Stopped waiting for ${name} after ${interrupts} interrupts.`, {
            hint: spec.rm ? 'The container was removed (--rm).' : `It may still be running: \`dk ps\`, \`dk stop ${name}\`.`,
          }))
          return
        }
        if (started) killContainer(engine, id, signal).catch(() => undefined)
        else queued.push(signal)
      }
      process.on(signal, handler)
      cleanups.push(() => process.off(signal, handler))
    }
  })
  gaveUp.catch(() => undefined)

  try {
    await startContainer(engine, id, spec)
  } catch (error) {
    for (const cleanup of cleanups) cleanup()
    throw error
  }
  started = true
  for (const signal of queued) await killContainer(engine, id, signal).catch(() => undefined)

  if (tty) {
    const resize = () => {
      const {columns, rows} = io.stdout
      if (columns && rows) container.resize({h: rows, w: columns}).catch(() => undefined)
    }
    resize()
    if (io.stdout.isTTY && io.stdout.on) {
      io.stdout.on('resize', resize)
      cleanups.push(() => (io.stdout as NodeJS.WriteStream).off('resize', resize))
    }
  }
  if (interactive) {
    if (tty && io.stdin.isTTY) {
      io.stdin.setRawMode(true)
      cleanups.push(() => io.stdin.setRawMode(false))
    }
    // stdin's end closes the container's stdin (StdinOnce), as `docker run -i` does.
    io.stdin.pipe(stream)
    cleanups.push(() => {
      io.stdin.unpipe(stream)
      io.stdin.pause()
    })
  }

  try {
    const result = await Promise.race([waited, gaveUp])
    await Promise.race([output, delay(2000)])
    return {id, name, exitCode: result.StatusCode}
  } catch (error) {
    if (error instanceof InterruptedError && spec.rm) await container.remove({force: true, v: true}).catch(() => undefined)
    throw apiError(error, {action: `wait for ${name}`, subject: `container: ${name}`, address: engine.address})
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup()
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
