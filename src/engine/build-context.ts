/**
 * The build context as the engine receives it: dk's packer (src/context) plans it with Docker's
 * exact .dockerignore rules and packs it as a back-pressured tar stream, byte for byte what the
 * docker CLI uploads. Loaded lazily: the walk and matcher are not needed by any other command path.
 */
import type {Readable} from 'node:stream'

export interface OpenedContext {
  stream: Readable
  /** The `dockerfile` query parameter: the Dockerfile's path inside the tar. */
  dockerfileQueryPath: string
}

export async function openContext(dir: string, options: {dockerfile?: string; dockerfileContent?: string; signal?: AbortSignal}): Promise<OpenedContext> {
  const {planContext, packContext} = await import('../context/index.js')
  const content = options.dockerfileContent === undefined ? undefined : Buffer.from(options.dockerfileContent, 'utf8')
  // Text given by the caller is sent as an injected Dockerfile, exactly like `docker build -f -`.
  const plan = await planContext(dir, content === undefined ? {dockerfile: options.dockerfile} : {dockerfile: '-', dockerfileContent: content})
  return {stream: packContext(plan, {signal: options.signal}), dockerfileQueryPath: plan.dockerfileQueryPath}
}
