/**
 * `POST /images/create?fromSrc=-`: make an image from a root filesystem tar, as `docker import`
 * does, streaming the tar and counting bytes. The engine answers 200 and reports failure inside the
 * JSON stream, so every line is checked for `error`.
 */
import {type Readable, Transform} from 'node:stream'

import {WorkFailedError} from '../cli/errors.js'
import type {Engine} from '../engine/connect.js'
import {apiError} from '../engine/errors.js'

export interface ImportOptions {
  /** "busybox:latest" */
  ref: string
  /** Dockerfile instructions applied to the config, e.g. `CMD ["sh"]`, `LABEL a=b`. */
  changes: string[]
  onBytes?: (n: number) => void
  signal?: AbortSignal
}

/** Import a rootfs tar stream; resolves to the new image id. */
export async function importRootfs(engine: Engine, tar: Readable, options: ImportOptions): Promise<string> {
  const [repo, tag] = splitRef(options.ref)
  // Count through a Transform: a 'data' listener on the source would start it flowing before the
  // request pipes it, and the first chunks would be lost.
  const counted = tar.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        options.onBytes?.(chunk.length)
        callback(null, chunk)
      },
    }),
  )
  tar.on('error', (error) => counted.destroy(error))
  let response: NodeJS.ReadableStream
  try {
    response = (await engine.docker.importImage(counted as unknown as string, {repo, tag, changes: options.changes, abortSignal: options.signal} as object)) as NodeJS.ReadableStream
  } catch (error) {
    throw apiError(error, {action: `import ${options.ref}`, address: engine.address})
  }
  const lines = await readJsonLines(response)
  const failure = lines.find((l) => l.error || l.errorDetail)
  if (failure) throw new WorkFailedError(`Importing ${options.ref} failed: ${failure.errorDetail?.message ?? failure.error}`)
  const id = [...lines].reverse().find((l) => typeof l.status === 'string' && l.status.startsWith('sha256:'))?.status
  if (id) return id
  const inspected = await engine.docker.getImage(options.ref).inspect()
  return inspected.Id
}

interface StreamLine {
  status?: string
  error?: string
  errorDetail?: {message?: string}
}

async function readJsonLines(stream: NodeJS.ReadableStream): Promise<StreamLine[]> {
  const lines: StreamLine[] = []
  let rest = ''
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    rest += chunk.toString('utf8')
    const parts = rest.split(/\r?\n/)
    rest = parts.pop() ?? ''
    for (const part of parts) if (part.trim()) lines.push(parseLine(part))
  }
  if (rest.trim()) lines.push(parseLine(rest))
  return lines
}

function parseLine(text: string): StreamLine {
  try {
    return JSON.parse(text) as StreamLine
  } catch {
    return {status: text}
  }
}

/** "debian:bookworm" → ["debian", "bookworm"]; a port in the registry part is not a tag. */
export function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':')
  if (at > ref.lastIndexOf('/') && at !== -1) return [ref.slice(0, at), ref.slice(at + 1)]
  return [ref, 'latest']
}
