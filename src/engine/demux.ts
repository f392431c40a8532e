/**
 * The Engine API multiplexes a non-TTY container's stdout and stderr on one stream: frames of an
 * 8-byte header (stream type, 3 zero bytes, big-endian length) then the payload. docker-modem's
 * demuxStream ignores back-pressure, so a container printing faster than the terminal reads would
 * pile up in memory; this one pauses the source while a destination is full.
 */
import type {Writable} from 'node:stream'

type Sink = Writable | NodeJS.WritableStream

/** Split a multiplexed stream into stdout and stderr; resolves when the source ends. */
export function demux(source: NodeJS.ReadableStream, stdout: Sink, stderr: Sink): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending: Buffer = Buffer.alloc(0)
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      resolve()
    }
    source.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      let blocked: Sink | undefined
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4)
        if (pending.length < 8 + size) break
        const type = pending[0]
        const payload = pending.subarray(8, 8 + size)
        pending = pending.subarray(8 + size)
        // 0 = stdin (echoed on a TTY-less attach), 1 = stdout, 2 = stderr.
        const target = type === 2 ? stderr : stdout
        if (!target.write(payload)) blocked = target
      }
      if (blocked) {
        source.pause()
        blocked.once('drain', () => source.resume())
      }
    })
    source.on('end', finish)
    source.on('close', finish)
    source.on('error', (error) => (finished ? undefined : reject(error)))
  })
}
