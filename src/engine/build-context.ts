/**
 * The build context as the engine receives it: dk's packer (src/context) plans it with Docker's
 * exact .dockerignore rules and packs it as a tar stream. This module only adapts that stream to
 * what the HTTP request needs (a Node Readable) and maps "the packer is missing" to a clear error.
 */
import {Readable} from 'node:stream'

import {DkError} from '../cli/errors.js'

export interface OpenedContext {
  stream: Readable
  /** The `dockerfile` query parameter: the Dockerfile's path inside the tar. */
  dockerfileQueryPath: string
}

interface ContextModule {
  planContext(dir: string, options: {dockerfile?: string; dockerfileContent?: string}): Promise<{dockerfileQueryPath: string}>
  packContext(plan: unknown, options?: {signal?: AbortSignal}): Readable | ReadableStream<Uint8Array>
}

export async function openContext(dir: string, options: {dockerfile?: string; dockerfileContent?: string; signal?: AbortSignal}): Promise<OpenedContext> {
  const specifier = '../context/index.js'
  let packer: ContextModule
  try {
    packer = (await import(specifier)) as ContextModule
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error
    throw new DkError('This build of dk has no build-context packer (src/context).', {code: 'DK_CONTEXT', hint: 'Rebuild dk from a complete checkout.'})
  }
  const dockerfile = options.dockerfile === '-' ? undefined : options.dockerfile
  const plan = await packer.planContext(dir, {dockerfile, dockerfileContent: options.dockerfileContent})
  const packed = packer.packContext(plan, {signal: options.signal})
  const stream = packed instanceof Readable ? packed : Readable.fromWeb(packed as import('node:stream/web').ReadableStream<Uint8Array>)
  return {stream, dockerfileQueryPath: plan.dockerfileQueryPath}
}
