/**
 * Containers through the Engine API: create/start from a RunSpec, resolve names and ids, ports,
 * stop, remove, exec, run to completion, list. The exercise engine and `dk twelve-factor` call these
 * directly; the `dk run/ps/stop/port/logs/rm/exec` commands are thin wrappers over them.
 *
 * Names, short ids and full ids are accepted everywhere (the engine resolves them on inspect).
 * Every container dk creates carries `dkLabels()` plus the user's labels. dk never pulls: a missing
 * image is a NotFoundError pointing at `dk setup` / `dk load`.
 */
import {existsSync} from 'node:fs'
import {PassThrough, type Writable} from 'node:stream'

import type Dockerode from 'dockerode'

import {DkError, NotFoundError, UsageError, WorkFailedError} from '../cli/errors.js'
import type {Engine} from './connect.js'
import {pathPart} from './engine-http.js'
import {apiError, engineMessage, type DockerApiError} from './errors.js'
import {dkLabels} from './labels.js'
import {demux} from './demux.js'
import {naturalLess} from './natural-sort.js'
import {portKey} from './port-spec.js'
import type {RunSpec} from './run-spec.js'

export type {PortBinding} from './port-spec.js'
export {parsePortSpec} from './port-spec.js'
export type {RunSpec} from './run-spec.js'

/** A container as dk talks about it. */
export interface ContainerInfo {
  id: string
  /** Without the leading slash. */
  name: string
  image: string
  imageId: string
  state: string
  running: boolean
  exitCode: number
  tty: boolean
  createdAt: string
  labels: Record<string, string>
  /** Docker's `Links` of this container: "/db:/app/db". */
  links: string[]
}

export interface PublishedPort {
  /** "8080/tcp" */
  containerPort: string
  /** "0.0.0.0", "::", "127.0.0.1" */
  hostIp: string
  hostPort: number
}

export interface ProcessResult {
  exitCode: number
  stdout: string
  stderr: string
}

function subjectOf(nameOrId: string): string {
  return `container: ${nameOrId}`
}

/** Inspect a container by name, short id or full id. NotFoundError (exit 4) when there is none. */
export async function resolveContainer(engine: Engine, nameOrId: string): Promise<ContainerInfo> {
  if (nameOrId.trim() === '') throw new UsageError('The container name or id is empty.', {hint: '`dk ps -a` lists the containers.'})
  let data: Dockerode.ContainerInspectInfo
  try {
    data = await inspectContainerRaw(engine, nameOrId)
  } catch (error) {
    throw containerError(error, `inspect container ${nameOrId}`, nameOrId, engine)
  }
  return toInfo(data)
}

/** GET /containers/{id}/json through dk's own client (no dockerode on this path). */
function inspectContainerRaw(engine: Engine, nameOrId: string): Promise<Dockerode.ContainerInspectInfo> {
  return engine.http.json<Dockerode.ContainerInspectInfo>({path: `/containers/${pathPart(nameOrId)}/json`})
}

function toInfo(data: Dockerode.ContainerInspectInfo): ContainerInfo {
  return {
    id: data.Id,
    name: data.Name.replace(/^\//, ''),
    image: data.Config.Image,
    imageId: data.Image,
    state: data.State.Status,
    running: data.State.Running,
    exitCode: data.State.ExitCode,
    tty: Boolean(data.Config.Tty),
    createdAt: data.Created,
    labels: data.Config.Labels ?? {},
    links: data.HostConfig?.Links ?? [],
  }
}

/** Errors about one container: 404 → "No such container: x" (exit 4); others through apiError. */
function containerError(error: unknown, action: string, nameOrId: string, engine: Engine): DkError {
  const e = error as DockerApiError
  if (e?.statusCode === 404) {
    return new NotFoundError(`No such container: ${nameOrId}`, {hint: '`dk ps -a` lists the containers that exist (names, short or full ids work).', details: {container: nameOrId}})
  }
  return apiError(error, {action, subject: subjectOf(nameOrId), address: engine.address})
}

/** The create request for a spec: Docker's mapping of `docker run` flags to the API. */
export function createOptions(spec: RunSpec): Dockerode.ContainerCreateOptions {
  const exposed: Record<string, object> = {}
  const bindings: Record<string, {HostIp: string; HostPort: string}[]> = {}
  for (const p of spec.ports ?? []) {
    const key = portKey(p)
    exposed[key] = {}
    ;(bindings[key] ??= []).push({HostIp: p.hostIp, HostPort: p.hostPort})
  }
  for (const key of spec.expose ?? []) exposed[key] = {}
  const binds = (spec.volumes ?? []).filter((v) => v.type !== 'anonymous').map((v) => v.raw)
  const anonymous: Record<string, object> = {}
  for (const v of spec.volumes ?? []) if (v.type === 'anonymous') anonymous[v.target] = {}
  const interactive = Boolean(spec.interactive)
  const attached = !spec.detach
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint === undefined ? undefined : [spec.entrypoint],
    Env: spec.env,
    Labels: dkLabels(spec.labels),
    Tty: Boolean(spec.tty),
    OpenStdin: interactive,
    StdinOnce: interactive && attached,
    AttachStdin: interactive && attached,
    AttachStdout: attached,
    AttachStderr: attached,
    WorkingDir: spec.workdir,
    User: spec.user,
    Hostname: spec.hostname,
    StopTimeout: spec.stopTimeout,
    StopSignal: spec.stopSignal,
    ExposedPorts: Object.keys(exposed).length > 0 ? exposed : undefined,
    Volumes: Object.keys(anonymous).length > 0 ? anonymous : undefined,
    HostConfig: {
      AutoRemove: Boolean(spec.rm),
      Binds: binds.length > 0 ? binds : undefined,
      PortBindings: Object.keys(bindings).length > 0 ? bindings : undefined,
      PublishAllPorts: Boolean(spec.publishAll),
      Links: spec.links?.map((l) => `${l.name}:${l.alias}`),
      Init: spec.init ? true : undefined,
      RestartPolicy: spec.restart ? {Name: spec.restart.name, MaximumRetryCount: spec.restart.maximumRetryCount} : undefined,
      NetworkMode: spec.network ?? 'default',
    },
  }
}

/**
 * Check what Docker would only report after creating something, so the learner gets a plain message:
 * the image (never pulled), link targets (exist and running), bind sources (exist, when the engine is local).
 */
export async function preflight(engine: Engine, spec: RunSpec): Promise<void> {
  try {
    await engine.http.json({path: `/images/${pathPart(spec.image)}/json`})
  } catch (error) {
    if ((error as DockerApiError)?.statusCode === 404) {
      throw new NotFoundError(`Image ${spec.image} is not here, and dk never pulls (there may be no registry).`, {
        hint: 'Make it with `dk setup` (busybox, debian), `dk build -t NAME .`, or bring it with `dk load -i FILE.tar`; `dk images` lists what is here.',
        code: 'IMAGE_NOT_FOUND',
        details: {image: spec.image},
      })
    }
    throw apiError(error, {action: `inspect image ${spec.image}`, address: engine.address})
  }
  for (const link of spec.links ?? []) {
    let target: ContainerInfo
    try {
      target = await resolveContainer(engine, link.name)
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`Cannot link to ${link.name}: no such container.`, {
          hint: `Start it first, e.g. \`dk run -d --name ${link.name} IMAGE\`; \`dk ps -a\` lists the containers.`,
          code: 'LINK_NOT_FOUND',
          details: {link: link.name},
        })
      }
      throw error
    }
    if (!target.running) {
      throw new WorkFailedError(`Cannot link to ${link.name}: it is not running (${target.state}, exit code ${target.exitCode}).`, {
        hint: `A link needs a running container. \`dk logs ${link.name}\` shows why it stopped; remove it (\`dk rm ${link.name}\`) and run it again with -d.`,
        code: 'LINK_NOT_RUNNING',
        details: {link: link.name, state: target.state},
      })
    }
  }
  const local = engine.address.scheme === 'unix' || engine.address.scheme === 'npipe'
  for (const volume of spec.volumes ?? []) {
    // -v silently creates a missing host directory (owned by root): almost always a typo. The check only
    // makes sense when the engine's file system is this machine's.
    if (volume.type === 'bind' && local && volume.source && !existsSync(volume.source)) {
      throw new NotFoundError(`Bind mount source ${volume.source} does not exist.`, {
        hint: `Create it first (mkdir -p ${volume.source}) or fix the path; Docker would create an empty, root-owned directory instead.`,
        code: 'BIND_SOURCE_NOT_FOUND',
        details: {source: volume.source, target: volume.target},
      })
    }
  }
}

/**
 * Create the container (after the preflight checks) and return its id and name. The create goes
 * through dk's own client; `container` (a dockerode handle, for attach and wait) is made only when
 * a caller asks for it, so `dk run -d` never loads dockerode.
 */
export async function createContainer(engine: Engine, spec: RunSpec): Promise<{id: string; name: string; readonly container: Dockerode.Container}> {
  await preflight(engine, spec)
  let id: string
  try {
    ;({Id: id} = await engine.http.json<{Id: string}>({method: 'POST', path: '/containers/create', query: {name: spec.name}, body: createOptions(spec)}))
  } catch (error) {
    throw await createError(engine, spec, error)
  }
  const data = await inspectContainerRaw(engine, id).catch(() => undefined)
  return {
    id,
    name: data?.Name.replace(/^\//, '') ?? spec.name ?? id.slice(0, 12),
    get container() {
      return engine.docker.getContainer(id)
    },
  }
}

async function createError(engine: Engine, spec: RunSpec, error: unknown): Promise<DkError> {
  const e = error as DockerApiError
  const message = engineMessage(error)
  if (e?.statusCode === 409 && spec.name) {
    const holder = /by container "([0-9a-f]+)"/.exec(message)?.[1]
    let state = ''
    if (holder) {
      const info = await resolveContainer(engine, holder).catch(() => undefined)
      if (info) state = `, ${info.running ? 'running' : info.state}, image ${info.image}`
    }
    return new WorkFailedError(`The name "${spec.name}" is already in use by container ${holder ? holder.slice(0, 12) : '(unknown)'}${state}.`, {
      hint: `Remove it with \`dk rm -f ${spec.name}\`, or choose another --name.`,
      code: 'NAME_IN_USE',
      details: {name: spec.name, container: holder},
      cause: error,
    })
  }
  if (e?.statusCode === 404 && /image/i.test(message)) {
    return new NotFoundError(`Image ${spec.image} is not here, and dk never pulls.`, {hint: 'Make it with `dk setup`, `dk build` or `dk load`.', code: 'IMAGE_NOT_FOUND', cause: error})
  }
  if (e?.statusCode === 404 && /link|container/i.test(message)) {
    return new NotFoundError(`Cannot create the container: ${message}`, {hint: '`dk ps -a` lists the containers.', cause: error})
  }
  if (e?.statusCode === 400) return new UsageError(`The engine refused the container: ${message}`, {hint: 'Check the flags; `dk run --help` lists them.', cause: error})
  return apiError(error, {action: `create a container from ${spec.image}`, address: engine.address})
}

/**
 * Start a created container. When start fails (port taken, command not found) dk removes the container
 * it just created: a learner who fixes the flag and runs again must not trip over "name in use".
 */
export async function startContainer(engine: Engine, id: string, spec: RunSpec): Promise<void> {
  try {
    await engine.http.json({method: 'POST', path: `/containers/${pathPart(id)}/start`})
  } catch (error) {
    const mapped = await startError(engine, spec, error)
    await engine.http.json({method: 'DELETE', path: `/containers/${pathPart(id)}`, query: {force: true, v: true}}).catch(() => undefined)
    throw mapped
  }
}

/** Docker's 126/127 for "cannot run the command" (like `docker run`), plain words for a taken port. */
async function startError(engine: Engine, spec: RunSpec, error: unknown): Promise<DkError> {
  const message = engineMessage(error)
  const taken = /Bind for ([^ ]+?):(\d+) failed: port is already allocated|listen (?:tcp|udp)[46]? ([^ ]+?):(\d+): bind: address already in use/.exec(message)
  if (taken) {
    const ip = taken[1] ?? taken[3]
    const port = Number(taken[2] ?? taken[4])
    const holder = await containerPublishing(engine, port)
    return new WorkFailedError(`Host port ${port} is already taken${holder ? ` by container ${holder}` : ` on ${ip} (by a program outside Docker, or a container of another engine)`}.`, {
      hint: `Publish on another host port (e.g. -p ${port + 1}:CONTAINER_PORT), let Docker pick one with -p CONTAINER_PORT or -P${holder ? `, or stop ${holder} (\`dk stop ${holder}\`)` : ''}.`,
      code: 'PORT_IN_USE',
      details: {hostIp: ip, hostPort: port, container: holder},
      cause: error,
    })
  }
  if (/executable file not found|no such file or directory|cannot find the file specified/.test(message)) {
    return new DkError(`Cannot run ${JSON.stringify(spec.cmd?.[0] ?? spec.entrypoint ?? spec.image)} in ${spec.image}: ${message}`, {
      exitCode: 127,
      code: 'COMMAND_NOT_FOUND',
      hint: 'Check the command name and the image ($PATH inside the image); busybox has sh, ls, cat, nc, httpd, wget….',
      cause: error,
    })
  }
  if (/permission denied|is a directory/i.test(message)) {
    return new DkError(`Cannot run the command in ${spec.image}: ${message}`, {exitCode: 126, code: 'COMMAND_NOT_EXECUTABLE', hint: 'The file exists but cannot be executed: check its mode (chmod +x) and that it is not a directory.', cause: error})
  }
  if (/Cannot link to a non running container/i.test(message)) {
    return new WorkFailedError(`Cannot start: ${message}`, {hint: 'Start the linked container first.', code: 'LINK_NOT_RUNNING', cause: error})
  }
  return apiError(error, {action: `start a container from ${spec.image}`, address: engine.address})
}

/** Which running container publishes a host port (for "port already taken" messages). */
async function containerPublishing(engine: Engine, port: number): Promise<string | undefined> {
  const list = await engine.http.json<Dockerode.ContainerInfo[]>({path: '/containers/json'}).catch(() => [] as Dockerode.ContainerInfo[])
  const found = list.find((c) => c.Ports.some((p) => p.PublicPort === port))
  return found ? found.Names[0]?.replace(/^\//, '') ?? found.Id.slice(0, 12) : undefined
}

/** `docker run -d`: create and start; returns the full id and the name. */
export async function createAndStart(engine: Engine, spec: RunSpec): Promise<{id: string; name: string}> {
  const {id, name} = await createContainer(engine, {...spec, detach: true})
  await startContainer(engine, id, spec)
  return {id, name}
}

export interface RunToCompletionOptions {
  /** Kill the container after this many milliseconds (then exitCode is 137). */
  timeoutMs?: number
  /** Bytes or text sent to the container's stdin (closed afterwards). */
  stdin?: string | Buffer
  /** Keep the container (default: removed, like `docker run --rm`). */
  keep?: boolean
}

/**
 * `docker run --rm` without a terminal: create, attach, start, collect stdout and stderr, wait,
 * remove. For checks and audits that need the output as text (keep it small: it is held in memory).
 */
export async function runToCompletion(engine: Engine, spec: RunSpec, options: RunToCompletionOptions = {}): Promise<ProcessResult> {
  const withStdin = options.stdin !== undefined
  const runSpec: RunSpec = {...spec, detach: false, tty: false, interactive: withStdin, rm: false}
  const {id, container} = await createContainer(engine, runSpec)
  const stdout = new Collector()
  const stderr = new Collector()
  let timer: NodeJS.Timeout | undefined
  try {
    const stream = await container.attach({stream: true, stdin: withStdin, stdout: true, stderr: true, hijack: withStdin})
    const done = demux(stream as NodeJS.ReadableStream, stdout, stderr)
    const waited = container.wait({condition: 'next-exit'})
    await startContainer(engine, id, runSpec)
    if (withStdin) (stream as NodeJS.WritableStream).end(options.stdin as string | Buffer)
    if (options.timeoutMs) timer = setTimeout(() => container.kill().catch(() => undefined), options.timeoutMs)
    const result = (await waited) as {StatusCode: number}
    await done
    return {exitCode: result.StatusCode, stdout: stdout.text(), stderr: stderr.text()}
  } finally {
    if (timer) clearTimeout(timer)
    if (!options.keep) await container.remove({force: true, v: true}).catch(() => undefined)
  }
}

/** A Writable that keeps what it receives, as text at the end. */
class Collector extends PassThrough {
  private readonly chunks: Buffer[] = []
  constructor() {
    super()
    this.on('data', (chunk: Buffer) => this.chunks.push(chunk))
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

/** Published ports of a container, sorted like `docker port` prints them. */
export async function publishedPorts(engine: Engine, idOrName: string): Promise<PublishedPort[]> {
  let data: Dockerode.ContainerInspectInfo
  try {
    data = await inspectContainerRaw(engine, idOrName)
  } catch (error) {
    throw containerError(error, `inspect container ${idOrName}`, idOrName, engine)
  }
  return portsFromInspect(data.NetworkSettings?.Ports as Record<string, {HostIp: string; HostPort: string}[] | null> | undefined)
}

export function portsFromInspect(ports: Record<string, {HostIp: string; HostPort: string}[] | null> | undefined): PublishedPort[] {
  const out: PublishedPort[] = []
  for (const [containerPort, frontends] of Object.entries(ports ?? {})) {
    for (const f of frontends ?? []) out.push({containerPort, hostIp: f.HostIp, hostPort: Number(f.HostPort)})
  }
  return out.sort((a, b) => (naturalLess(portLine(a), portLine(b)) ? -1 : naturalLess(portLine(b), portLine(a)) ? 1 : 0))
}

/** Go's net.JoinHostPort: brackets around IPv6 addresses. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** One line of `docker port`: "8080/tcp -> 0.0.0.0:32768". */
export function portLine(p: PublishedPort): string {
  return `${p.containerPort} -> ${joinHostPort(p.hostIp, p.hostPort)}`
}

/** Stop (SIGTERM, then SIGKILL after the timeout). Stopping a stopped container is not an error, as in Docker. */
export async function stopContainer(engine: Engine, idOrName: string, timeoutSeconds?: number): Promise<void> {
  try {
    await engine.http.json({method: 'POST', path: `/containers/${pathPart(idOrName)}/stop`, query: {t: timeoutSeconds}})
  } catch (error) {
    if ((error as DockerApiError)?.statusCode === 304) return
    throw containerError(error, `stop container ${idOrName}`, idOrName, engine)
  }
}

/** Remove; without force a running container is refused with Docker's advice. */
export async function removeContainer(engine: Engine, idOrName: string, options: {force?: boolean; volumes?: boolean} = {}): Promise<void> {
  try {
    await engine.http.json({method: 'DELETE', path: `/containers/${pathPart(idOrName)}`, query: {force: Boolean(options.force), v: Boolean(options.volumes)}})
  } catch (error) {
    const e = error as DockerApiError
    if (e?.statusCode === 409 && /running/i.test(engineMessage(error))) {
      throw new WorkFailedError(`Cannot remove ${idOrName}: it is running.`, {
        hint: `Stop it first (\`dk stop ${idOrName}\`) or force it (\`dk rm -f ${idOrName}\`).`,
        code: 'CONTAINER_RUNNING',
        cause: error,
      })
    }
    throw containerError(error, `remove container ${idOrName}`, idOrName, engine)
  }
}

/** Send a signal to a container (used by the signal proxy). */
export async function killContainer(engine: Engine, idOrName: string, signal = 'SIGKILL'): Promise<void> {
  try {
    await engine.http.json({method: 'POST', path: `/containers/${pathPart(idOrName)}/kill`, query: {signal}})
  } catch (error) {
    throw containerError(error, `signal container ${idOrName}`, idOrName, engine)
  }
}

export interface ExecOptions {
  env?: string[]
  user?: string
  workdir?: string
  /** Text or bytes for the command's stdin (closed afterwards). */
  stdin?: string | Buffer
}

/** Run a command in a running container and collect its output and exit code. */
export async function execIn(engine: Engine, idOrName: string, cmd: string[], options: ExecOptions = {}): Promise<ProcessResult> {
  const stdout = new Collector()
  const stderr = new Collector()
  const {exitCode} = await execStream(engine, idOrName, cmd, {...options, tty: false, interactive: options.stdin !== undefined}, {
    stdout,
    stderr,
    stdin: options.stdin,
  })
  return {exitCode, stdout: stdout.text(), stderr: stderr.text()}
}

export interface ExecStreamOptions {
  env?: string[]
  user?: string
  workdir?: string
  tty?: boolean
  interactive?: boolean
}

export interface ExecIo {
  stdout: Writable | NodeJS.WritableStream
  stderr: Writable | NodeJS.WritableStream
  /** A stream piped to the command's stdin, or a whole value written then closed. */
  stdin?: NodeJS.ReadableStream | string | Buffer
  /** Called with the exec's resize function once it runs (for TTY resizes). */
  onStarted?: (resize: (size: {h: number; w: number}) => Promise<void>) => void
}

/** Exec with streams: the building block of `dk exec` (tty, stdin) and `execIn`. */
export async function execStream(engine: Engine, idOrName: string, cmd: string[], options: ExecStreamOptions, io: ExecIo): Promise<{exitCode: number}> {
  const info = await resolveContainer(engine, idOrName)
  if (!info.running) {
    throw new WorkFailedError(`Container ${idOrName} is not running (${info.state}).`, {hint: '`dk exec` needs a running container; `dk ps` lists them, `dk logs` shows why one stopped.', code: 'CONTAINER_NOT_RUNNING'})
  }
  let exec: Dockerode.Exec
  try {
    exec = await engine.docker.getContainer(info.id).exec({
      Cmd: cmd,
      AttachStdin: Boolean(options.interactive),
      AttachStdout: true,
      AttachStderr: true,
      Tty: Boolean(options.tty),
      Env: options.env,
      User: options.user,
      WorkingDir: options.workdir,
    })
  } catch (error) {
    throw containerError(error, `exec in ${idOrName}`, idOrName, engine)
  }
  const stream = (await exec.start({hijack: true, stdin: Boolean(options.interactive), Tty: Boolean(options.tty)})) as NodeJS.ReadWriteStream
  io.onStarted?.((size) => exec.resize(size).then(() => undefined))
  const done = options.tty ? pipeRaw(stream, io.stdout) : demux(stream, io.stdout, io.stderr)
  if (options.interactive && io.stdin !== undefined) {
    if (typeof io.stdin === 'string' || Buffer.isBuffer(io.stdin)) stream.end(io.stdin)
    else io.stdin.pipe(stream)
  }
  await done
  const inspected = await exec.inspect()
  // The engine itself reports 126/127 when the command cannot run, as `docker exec` does.
  return {exitCode: inspected.ExitCode ?? 0}
}

/** Copy a raw (TTY) stream to one destination, honouring back-pressure; resolves at its end. */
export function pipeRaw(stream: NodeJS.ReadableStream, destination: Writable | NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      if (!destination.write(chunk)) {
        stream.pause()
        destination.once('drain', () => stream.resume())
      }
    })
    stream.on('end', () => resolve())
    stream.on('close', () => resolve())
    stream.on('error', reject)
  })
}

/** One row of `dk ps`, from the list API. */
export interface ContainerSummary {
  id: string
  image: string
  imageId: string
  command: string
  created: number
  state: string
  status: string
  names: string[]
  ports: {ip?: string; privatePort: number; publicPort?: number; type: string}[]
  labels: Record<string, string>
}

/** `--filter key=value` flags (repeatable) → the engine's filters map. */
export function parseFilters(values: string[]): Record<string, string[]> | undefined {
  if (values.length === 0) return undefined
  const filters: Record<string, string[]> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0) throw new UsageError(`Bad format of filter (expected name=value): ${value}`, {hint: 'e.g. --filter label=io.dk.managed=true, --filter name=web, --filter status=exited.'})
    ;(filters[value.slice(0, eq)] ??= []).push(value.slice(eq + 1))
  }
  return filters
}

/** `docker ps [-a]`: newest first, as the engine returns them. */
export async function listContainers(engine: Engine, options: {all?: boolean; filters?: Record<string, string[]>} = {}): Promise<ContainerSummary[]> {
  let list: Dockerode.ContainerInfo[]
  try {
    list = await engine.http.json<Dockerode.ContainerInfo[]>({path: '/containers/json', query: {all: Boolean(options.all), filters: options.filters}})
  } catch (error) {
    throw apiError(error, {action: 'list containers', address: engine.address})
  }
  return list.map((c) => ({
    id: c.Id,
    image: c.Image,
    imageId: c.ImageID,
    command: c.Command,
    created: c.Created,
    state: c.State,
    status: c.Status,
    names: c.Names.map((n) => n.replace(/^\//, '')),
    ports: c.Ports.map((p) => ({ip: p.IP || undefined, privatePort: p.PrivatePort, publicPort: p.PublicPort || undefined, type: p.Type})),
    labels: c.Labels ?? {},
  }))
}

export interface LogsOptions {
  follow?: boolean
  /** Lines from the end ("all" or a number), like `docker logs --tail`. */
  tail?: string
  timestamps?: boolean
}

/**
 * Stream a container's logs to stdout/stderr (demultiplexed unless the container has a TTY).
 * Streams even without --follow (dockerode's logs() would buffer the whole log in memory).
 */
export async function streamLogs(engine: Engine, idOrName: string, options: LogsOptions, stdout: Writable | NodeJS.WritableStream, stderr: Writable | NodeJS.WritableStream): Promise<void> {
  const info = await resolveContainer(engine, idOrName)
  let stream: NodeJS.ReadableStream
  try {
    stream = await engine.http.stream({
      path: `/containers/${pathPart(info.id)}/logs`,
      query: {follow: Boolean(options.follow), stdout: true, stderr: true, timestamps: Boolean(options.timestamps), tail: options.tail ?? 'all'},
    })
  } catch (error) {
    throw containerError(error, `read the logs of ${idOrName}`, idOrName, engine)
  }
  await (info.tty ? pipeRaw(stream, stdout) : demux(stream, stdout, stderr))
}
