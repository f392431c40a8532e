/**
 * `dk context --tar FILE`: the exact upload written to a file atomically (a temp file in the same
 * directory, renamed when complete), so an interrupted run never leaves half an archive behind.
 */
import {createWriteStream, renameSync, rmSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {Transform} from 'node:stream'

import {fileError} from '../cli/errors.js'
import {packContext} from './pack.js'
import type {ContextPlan} from './plan.js'

export interface TarWriteOptions {
  signal?: AbortSignal
  /** Bytes written so far (for a progress display). */
  onBytes?: (bytes: number) => void
}

function counter(onBytes?: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes?.(chunk.length)
      callback(null, chunk)
    },
  })
}

/** Write the context tar to `file`; returns its size in bytes. */
export async function writeContextTar(plan: ContextPlan, file: string, options: TarWriteOptions = {}): Promise<number> {
  const temp = join(dirname(file), `.${basename(file)}.dk-${process.pid}-${Date.now()}.tmp`)
  let bytes = 0
  try {
    await pipeline(
      packContext(plan, {signal: options.signal}),
      counter((n) => {
        bytes += n
        options.onBytes?.(n)
      }),
      createWriteStream(temp, {flags: 'wx'}),
    )
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR') throw fileError(error, file, 'output directory')
    throw error
  }
  return bytes
}

/** Stream the context tar to stdout (the caller checked it is not a terminal). */
export async function streamContextTar(plan: ContextPlan, out: NodeJS.WritableStream, options: TarWriteOptions = {}): Promise<number> {
  let bytes = 0
  await pipeline(
    packContext(plan, {signal: options.signal}),
    counter((n) => {
      bytes += n
      options.onBytes?.(n)
    }),
    out,
    {end: false},
  )
  // Wait until everything queued on stdout has reached the pipe: bin/run.js calls process.exit()
  // right after the command, which would drop what is still buffered.
  await new Promise<void>((resolve, reject) => out.write(Buffer.alloc(0), (error) => (error ? reject(error) : resolve())))
  return bytes
}
