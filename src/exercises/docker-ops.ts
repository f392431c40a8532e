/**
 * The engine operations the exercise kit needs, on dockerode. The kit's checks must be built from
 * the same functions users call (src/engine/build.ts, src/engine/containers.ts, src/context); the
 * functions here are the kit's private stand-ins while those modules land, kept small and switched
 * one by one. Everything streams: a build context is a tar stream of the walk, never a buffer.
 */
import {lstat, readdir, readlink} from 'node:fs/promises'
import {createReadStream} from 'node:fs'
import {join, relative, sep} from 'node:path'
import type {Readable} from 'node:stream'

import type Dockerode from 'dockerode'

import {UsageError, WorkFailedError} from '../cli/errors.js'
import type {Engine} from '../engine/connect.js'
import {apiError} from '../engine/errors.js'
import type {ContainerInfo, ProcessResult, RunOptions} from './model.js'

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

/**
 * A build context as a tar stream, walking `dir` lazily. Symlinks are stored as links, never
 * followed, so nothing outside the folder can be sent. (src/context replaces this with the
 * .dockerignore-exact packer.)
 */
export async function packDirectory(dir: string): Promise<Readable> {
  const tar = await import('tar-stream')
  const pack = tar.pack()
  const walk = async (folder: string): Promise<void> => {
    const names = (await readdir(folder)).sort()
    for (const name of names) {
      const full = join(folder, name)
      const rel = relative(dir, full).split(sep).join('/')
      const st = await lstat(full)
      const common = {name: rel, mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0}
      if (st.isSymbolicLink()) {
        await entry(pack, {...common, type: 'symlink', linkname: await readlink(full)})
      } else if (st.isDirectory()) {
        await entry(pack, {...common, type: 'directory'})
        await walk(full)
      } else if (st.isFile()) {
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry({...common, type: 'file', size: st.size}, (error) => (error ? reject(error) : resolve()))
          createReadStream(full).on('error', reject).pipe(sink)
        })
      }
    }
  }
  walk(dir).then(
    () => pack.finalize(),
    (error) => pack.destroy(error),
  )
  return pack
}

function entry(pack: import('tar-stream').Pack, header: import('tar-stream').Headers): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (error) => (error ? reject(error) : resolve())))
}

/**
 * POST /build (classic builder) and decode the JSON-lines answer. A failed RUN arrives as HTTP 200
 * with an `error` line, so every line is scanned; the image id comes from `aux.ID`.
 */
export async function buildContext(
  engine: Engine,
  context: Readable,
  options: {dockerfile: string; tag: string; buildArgs?: Record<string, string>; labels: Record<string, string>},
): Promise<{id: string; output: string}> {
  let response: NodeJS.ReadableStream
  try {
    response = await engine.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
      t: options.tag,
      dockerfile: options.dockerfile,
      buildargs: options.buildArgs,
      labels: options.labels,
      rm: true,
      forcerm: true,
    } as Dockerode.ImageBuildOptions)
  } catch (error) {
    throw apiError(error, {action: 'build the image', address: engine.address})
  }
  let output = ''
  let id = ''
  let failure: string | undefined
  let pending = ''
  const handle = (line: string) => {
    if (!line.trim()) return
    let message: {stream?: string; error?: string; errorDetail?: {message?: string}; aux?: {ID?: string}}
    try {
      message = JSON.parse(line)
    } catch {
      output += `${line}\n`
      return
    }
    if (message.stream) output += message.stream
    if (message.aux?.ID) id = message.aux.ID
    if (message.error || message.errorDetail) failure = message.errorDetail?.message ?? message.error
  }
  await new Promise<void>((resolve, reject) => {
    response.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) handle(line)
    })
    response.on('end', () => {
      handle(pending)
      resolve()
    })
    response.on('error', reject)
  })
  if (failure) throw new WorkFailedError(`The build failed: ${failure.trim()}`, {code: 'BUILD_FAILED', details: {output}})
  if (!id) {
    // Old engines print "Successfully built <short id>" instead of aux; ask for the tag.
    const info = (await engine.docker.getImage(options.tag).inspect()) as {Id: string}
    id = info.Id
  }
  return {id, output}
}

/** Docker's -p grammar: [ip:][hostPort:]containerPort[/proto]. Ranges are not needed by the kit. */
export function parsePortSpec(spec: string): {containerPort: string; hostIp: string; hostPort: string} {
  const [body, proto = 'tcp'] = spec.split('/')
  const parts = body.split(':')
  let hostIp = ''
  let hostPort = ''
  let containerPort: string
  if (parts.length === 1) containerPort = parts[0]
  else if (parts.length === 2) [hostPort, containerPort] = parts
  else [hostIp, hostPort, containerPort] = [parts.slice(0, -2).join(':'), parts.at(-2)!, parts.at(-1)!]
  if (!/^\d+$/.test(containerPort) || (hostPort && !/^\d+$/.test(hostPort)))
    throw new UsageError(`Invalid port specification "${spec}".`, {hint: 'Use [ip:][hostPort:]containerPort[/tcp|udp], e.g. 127.0.0.1::8080.'})
  return {containerPort: `${containerPort}/${proto}`, hostIp, hostPort}
}

export function createSpec(image: string, options: RunOptions, name: string, labels: Record<string, string>): Dockerode.ContainerCreateOptions {
  const exposed: Record<string, object> = {}
  const bindings: Record<string, Array<{HostIp: string; HostPort: string}>> = {}
  for (const spec of options.ports ?? []) {
    const port = parsePortSpec(spec)
    exposed[port.containerPort] = {}
    ;(bindings[port.containerPort] ??= []).push({HostIp: port.hostIp, HostPort: port.hostPort})
  }
  const env = Array.isArray(options.env) ? options.env : Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`)
  return {
    name,
    Image: image,
    Cmd: options.cmd,
    Entrypoint: options.entrypoint,
    Env: env.length ? env : undefined,
    User: options.user,
    WorkingDir: options.workingDir,
    Labels: labels,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    HostConfig: {
      PortBindings: Object.keys(bindings).length ? bindings : undefined,
      PublishAllPorts: options.publishAll ?? false,
      Links: options.links,
      Binds: options.volumes,
      Init: options.init,
      NetworkMode: options.network,
    },
  }
}

/** Start a created container, wait for it to exit (bounded), collect its output. */
export async function runToExit(engine: Engine, container: Dockerode.Container, timeoutMs: number): Promise<ProcessResult> {
  await container.start()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  const waited = await Promise.race([container.wait({condition: 'not-running'}) as Promise<{StatusCode: number}>, timedOut])
  clearTimeout(timer)
  if (waited === 'timeout') {
    await container.kill().catch(() => undefined)
    const logs = await containerLogs(container)
    throw new WorkFailedError(`The container did not exit within ${Math.round(timeoutMs / 1000)} s (it was stopped). Output so far: ${clip(logs.stdout + logs.stderr)}`, {
      code: 'RUN_TIMEOUT',
    })
  }
  const logs = await containerLogs(container)
  return {exitCode: waited.StatusCode, ...logs}
}

export async function containerLogs(container: Dockerode.Container): Promise<{stdout: string; stderr: string}> {
  const info = (await container.inspect()) as unknown as ContainerInfo
  const raw = (await container.logs({stdout: true, stderr: true, follow: false})) as unknown as Buffer
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))
  return info.Config.Tty ? {stdout: buffer.toString('utf8'), stderr: ''} : demultiplex(buffer)
}

/** Run a command in a running container and collect its output and exit code. */
export async function execIn(container: Dockerode.Container, cmd: string[], options: {user?: string; env?: string[]} = {}): Promise<ProcessResult> {
  const exec = await container.exec({Cmd: cmd, AttachStdout: true, AttachStderr: true, User: options.user, Env: options.env})
  const stream = (await exec.start({hijack: true, stdin: false})) as NodeJS.ReadableStream
  const chunks: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (b: Buffer) => chunks.push(b))
    stream.on('end', () => resolve())
    stream.on('error', reject)
  })
  const info = await exec.inspect()
  return {exitCode: info.ExitCode ?? -1, ...demultiplex(Buffer.concat(chunks))}
}

export function clip(text: string, max = 200): string {
  const oneLine = text.trim().replace(/\s+/g, ' ')
  if (!oneLine) return '(nothing)'
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine)
}
