/**
 * `dk exec` in a terminal: stdin with -i, a raw TTY with -t (resizes followed), the command's exit code.
 * -d starts the command and returns at once, as `docker exec -d` does.
 */
import {UsageError, WorkFailedError} from '../cli/errors.js'
import type {Engine} from './connect.js'
import {execStream, resolveContainer} from './containers.js'
import type {ExecSpec} from './exec-spec.js'

export interface ExecIoStreams {
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number}
  stderr: NodeJS.WritableStream
}

export async function execForeground(engine: Engine, spec: ExecSpec, io: ExecIoStreams): Promise<{exitCode: number}> {
  if (spec.tty && spec.interactive && !io.stdin.isTTY) {
    throw new UsageError('The input device is not a TTY.', {hint: 'Drop -t when stdin is a pipe or a file (keep -i), or run dk in a terminal.'})
  }
  if (spec.detach) {
    const info = await resolveContainer(engine, spec.container)
    if (!info.running) throw new WorkFailedError(`Container ${spec.container} is not running (${info.state}).`, {hint: '`dk ps` lists the running containers.', code: 'CONTAINER_NOT_RUNNING'})
    const exec = await engine.docker.getContainer(info.id).exec({Cmd: spec.cmd, Env: spec.env, User: spec.user, WorkingDir: spec.workdir, Tty: spec.tty})
    await exec.start({Detach: true})
    return {exitCode: 0}
  }
  const cleanups: (() => void)[] = []
  try {
    return await execStream(
      engine,
      spec.container,
      spec.cmd,
      {env: spec.env, user: spec.user, workdir: spec.workdir, tty: spec.tty, interactive: spec.interactive},
      {
        stdout: io.stdout,
        stderr: io.stderr,
        stdin: spec.interactive ? io.stdin : undefined,
        onStarted: (resize) => {
          if (spec.interactive && spec.tty && io.stdin.isTTY) {
            io.stdin.setRawMode(true)
            cleanups.push(() => io.stdin.setRawMode(false))
          }
          if (spec.interactive) cleanups.push(() => io.stdin.pause())
          if (!spec.tty) return
          const follow = () => {
            if (io.stdout.columns && io.stdout.rows) resize({h: io.stdout.rows, w: io.stdout.columns}).catch(() => undefined)
          }
          follow()
          if (io.stdout.isTTY) {
            process.stdout.on('resize', follow)
            cleanups.push(() => process.stdout.off('resize', follow))
          }
        },
      },
    )
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup()
  }
}
