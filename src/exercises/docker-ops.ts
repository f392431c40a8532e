/**
 * Small engine helpers the kit needs beyond src/engine: container logs as text, demultiplexed.
 * The kit's runs, execs, builds and contexts go through the same functions users call
 * (src/engine/containers.ts, src/engine/build.ts, src/context).
 */
import type Dockerode from 'dockerode'

import type {ContainerInfo} from './model.js'

/** Split Docker's multiplexed log/attach stream (8-byte frame headers) into stdout and stderr. */
export function demultiplex(buffer: Buffer): {stdout: string; stderr: string} {
  const out: Buffer[] = []
  const err: Buffer[] = []
  let offset = 0
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset]
    const length = buffer.readUInt32BE(offset + 4)
    if (type > 2 || buffer[offset + 1] !== 0 || buffer[offset + 2] !== 0 || buffer[offset + 3] !== 0) {
      // Not multiplexed (a TTY container): everything is stdout.
      return {stdout: buffer.toString('utf8'), stderr: ''}
    }
    const frame = buffer.subarray(offset + 8, offset + 8 + length)
    ;(type === 2 ? err : out).push(frame)
    offset += 8 + length
  }
  return {stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}
}

export async function containerLogs(container: Dockerode.Container): Promise<{stdout: string; stderr: string}> {
  const info = (await container.inspect()) as unknown as ContainerInfo
  const raw = (await container.logs({stdout: true, stderr: true, follow: false})) as unknown as Buffer
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))
  return info.Config.Tty ? {stdout: buffer.toString('utf8'), stderr: ''} : demultiplex(buffer)
}

export function clip(text: string, max = 200): string {
  const oneLine = text.trim().replace(/\s+/g, ' ')
  if (!oneLine) return '(nothing)'
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine)
}
