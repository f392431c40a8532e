/**
 * dk's own Engine API client: HTTP/1.1 on the bare socket (wire.ts) for body-less requests over a
 * plain socket, node:http / node:https (loaded on first use) for everything else.
 *
 * Why not dockerode for everything: importing dockerode loads docker-modem, ssh2, @grpc/grpc-js and
 * protobufjs (~150 ms of CPU on every command that touches the engine), and its stream paths add
 * stages dk does not need. The hot paths (connect, images, inspect, ps, save, load, build) go through
 * this client (over a plain socket, the big transfers go further still: direct-download.ts for a
 * save to a file, direct-upload.ts for a load from a file and a build's context); the rest of dk
 * still reaches dockerode through `Engine.docker`, created on first use.
 *
 * What it does, and no more: one request per call to the address `resolveEngine` produced (unix
 * socket, Windows named pipe, tcp, https with the TLS material, ssh through docker-modem's
 * `docker system dial-stdio` agent), JSON bodies and answers, streamed request bodies, streamed
 * answers, an AbortSignal, an idle timeout, and the `/v1.41` prefix once the version is known.
 *
 * Errors keep docker-modem's shape (`statusCode`, `reason`, `json`, a message starting
 * "(HTTP code N) reason - "), so `apiError()` in errors.ts maps them to the same dk errors and exit
 * codes whichever client made the request. Connection errors keep Node's errno `code` (ENOENT,
 * ECONNREFUSED, EACCES…); a timeout carries `code: 'ETIMEDOUT'`.
 */
import {createRequire} from 'node:module'
import type {Agent, ClientRequest, IncomingMessage, RequestOptions} from 'node:http'
import type {Readable} from 'node:stream'

import type {EngineAddress} from './connect.js'
import {EngineHttpError, abortError, directRequest, isPlainSocket, usesTls} from './wire.js'

export {EngineHttpError, abortError, usesTls} from './wire.js'

export interface EngineRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD'
  /** The API path without the version prefix, e.g. "/images/json"; path parts go through `pathPart`. */
  path: string
  /** Query parameters: objects are sent as JSON, arrays as repeated keys, undefined left out (as docker-modem does). */
  query?: Record<string, unknown>
  /** A JSON request body. */
  body?: unknown
  /** A streamed request body (a tar): written with back-pressure, the request ends with it. */
  upload?: Readable
  /** Content-Type of `upload` (default application/x-tar). */
  contentType?: string
  /** Called with the size of each chunk of `upload` as it is handed to the socket. */
  onUpload?: (bytes: number) => void
  signal?: AbortSignal
  /** Fail with ETIMEDOUT when the socket stays idle this long (connect included). */
  timeoutMs?: number
  /** Send without the /vX.Y prefix (the version probe). */
  unversioned?: boolean
}

/** An image or container reference as a path part: encoded, but `/`, `:` and `@` kept as the engine's routes expect. */
export function pathPart(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/g, '@')
}

export function queryString(query: Record<string, unknown> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
    else if (typeof value === 'object') params.append(key, JSON.stringify(value))
    else params.append(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

type RequestFunction = (options: RequestOptions, callback?: (res: IncomingMessage) => void) => ClientRequest

interface Transport {
  send: RequestFunction
  base: RequestOptions
  /** A pooled agent, or a factory when every request needs its own (ssh). */
  agent: Agent | (() => Agent)
}

/** The version an `API-Version` header names, if it looks like one. */
export function apiVersionFrom(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^\d+\.\d+$/.test(header) ? header : undefined
}

/** The request function and agent for an address; https and ssh modules are loaded only for those addresses. */
async function makeTransport(address: EngineAddress): Promise<Transport> {
  const tls = address.tls
  switch (address.scheme) {
    case 'unix':
    case 'npipe': {
      const http = await import('node:http')
      // Keep-alive: the version probe and the command's own calls share one connection.
      // Idle pooled sockets are unref'd by Node, so they never keep dk running.
      return {send: http.request, base: {socketPath: address.socketPath}, agent: new http.Agent({keepAlive: true})}
    }
    case 'tcp': {
      // The same TLS as dk gave dockerode: TLS when there is TLS material or verification is asked
      // for; without verification the host name is not checked, but the chain still is (against
      // ca.pem), so behaviour does not change with the client.
      if (tls && usesTls(address)) {
        const https = await import('node:https')
        const options = {ca: tls.ca, cert: tls.cert, key: tls.key, ...(tls.verify ? {} : {checkServerIdentity: () => undefined})}
        return {send: https.request, base: {host: address.host, port: address.port, ...options}, agent: new https.Agent({keepAlive: true, ...options})}
      }
      const http = await import('node:http')
      return {send: http.request, base: {host: address.host, port: address.port}, agent: new http.Agent({keepAlive: true})}
    }
    case 'ssh': {
      // ssh:// rides on docker-modem's agent (ssh2, `docker system dial-stdio` on the remote host),
      // one SSH connection per request exactly as dockerode makes them. Loading ssh2 is only paid
      // by ssh addresses.
      const http = await import('node:http')
      // Resolved from dockerode's own folder: docker-modem is its dependency, not dk's.
      const fromDockerode = createRequire(createRequire(import.meta.url).resolve('dockerode'))
      const makeAgent = fromDockerode('docker-modem/lib/ssh.js') as (options: object) => Agent
      const sshOptions = {agent: process.env.SSH_AUTH_SOCK, host: address.host, port: address.port, username: address.username}
      return {send: http.request, base: {host: address.host}, agent: () => makeAgent(sshOptions)}
    }
  }
}

export class EngineHttp {
  /** "1.41" once known; requests then go to /v1.41/…. */
  apiVersion: string | undefined
  private transport: Promise<Transport> | undefined
  private pooled: Agent | undefined

  private constructor(private readonly address: EngineAddress) {}

  /**
   * A client for an address. node:http (or https, or ssh's agent) is loaded with the first request
   * that needs it, not here: over a plain socket, `dk save`, `dk load` and `dk build` never do (the
   * ping and inspections go through wire.ts, the transfers through direct-*.ts), ~8 ms of start-up.
   */
  static async create(address: EngineAddress): Promise<EngineHttp> {
    return new EngineHttp(address)
  }

  /** A request whose answer is JSON (or empty, then `undefined`); an HTTP error rejects with EngineHttpError. */
  async json<T>(request: EngineRequest): Promise<T> {
    const {text} = await this.whole(request)
    return (text.trim() ? JSON.parse(text) : undefined) as T
  }

  /**
   * `GET /_ping`, and the API version the engine speaks from its `API-Version` header (undefined when
   * a proxy or a very old engine leaves it out), which is how the docker CLI negotiates too.
   */
  async ping(timeoutMs?: number): Promise<string | undefined> {
    const {headers} = await this.whole({path: '/_ping', unversioned: true, timeoutMs})
    return apiVersionFrom(headers['api-version'])
  }

  /** A request whose answer is plain text (`/_ping` answers "OK"). */
  async text(request: EngineRequest): Promise<string> {
    return (await this.whole(request)).text
  }

  /**
   * A request whose answer is read as a stream (an archive, JSON-lines progress). Resolves once the
   * status is known and is 2xx; the caller reads the body. The signal destroys the answer too, with
   * an AbortError, so a pipeline on it stops.
   */
  stream(request: EngineRequest): Promise<IncomingMessage> {
    return this.open(request)
  }

  /** Forget pooled connections (for long-lived callers such as tests; the CLI exits anyway). */
  close(): void {
    this.pooled?.destroy()
  }

  /**
   * A request whose whole answer is read. Without a body, over a plain socket, it goes without
   * node:http (wire.ts says why); everything else through node:http/https.
   */
  private async whole(request: EngineRequest): Promise<{text: string; headers: Record<string, string | string[] | undefined>}> {
    const method = request.method ?? 'GET'
    if (request.body === undefined && !request.upload && method !== 'HEAD' && method !== 'PUT' && isPlainSocket(this.address)) {
      const answer = await directRequest(this.address, this.pathOf(request), {method, timeoutMs: request.timeoutMs, signal: request.signal})
      const text = answer.body.toString('utf8')
      if (answer.status < 200 || answer.status > 299) throw EngineHttpError.fromBody(answer.status, text)
      return {text, headers: answer.headers}
    }
    const res = await this.open(request)
    return {text: await readText(res, request.signal), headers: res.headers}
  }

  /** The request's path with the /vX.Y prefix (once the version is known) and its query. */
  private pathOf(request: EngineRequest): string {
    const prefix = request.unversioned || !this.apiVersion ? '' : `/v${this.apiVersion}`
    return `${prefix}${request.path}${queryString(request.query)}`
  }

  private connectTransport(): Promise<Transport> {
    this.transport ??= makeTransport(this.address).then((transport) => {
      if (typeof transport.agent !== 'function') this.pooled = transport.agent
      return transport
    })
    return this.transport
  }

  private async open(request: EngineRequest): Promise<IncomingMessage> {
    const {signal} = request
    if (signal?.aborted) throw abortError(signal)
    const {send, base, agent} = await this.connectTransport()
    if (signal?.aborted) throw abortError(signal)
    const headers: Record<string, string | number> = {}
    let payload: Buffer | undefined
    if (request.body !== undefined) {
      payload = Buffer.from(JSON.stringify(request.body), 'utf8')
      headers['Content-Type'] = 'application/json'
      headers['Content-Length'] = payload.length
    } else if (request.upload) {
      headers['Content-Type'] = request.contentType ?? 'application/x-tar'
      headers['Transfer-Encoding'] = 'chunked'
    }
    return new Promise<IncomingMessage>((resolve, reject) => {
      let settled = false
      let res: IncomingMessage | undefined
      const req = send({...base, agent: typeof agent === 'function' ? agent() : agent, method: request.method ?? 'GET', path: this.pathOf(request), headers})
      const fail = (error: unknown) => {
        if (settled) return
        settled = true
        cleanup()
        reject(error)
      }
      const onAbort = () => {
        const error = abortError(signal as AbortSignal)
        res?.destroy(error)
        req.destroy(error)
        fail(error)
      }
      const cleanup = () => {
        signal?.removeEventListener('abort', onAbort)
      }
      signal?.addEventListener('abort', onAbort, {once: true})
      if (request.timeoutMs) {
        const ms = request.timeoutMs
        req.setTimeout(ms, () => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), {code: 'ETIMEDOUT'})))
      }
      req.on('error', fail)
      req.on('response', (answer) => {
        res = answer
        // The signal stays armed while the caller reads the body; it is released when the answer closes.
        answer.once('close', cleanup)
        const status = answer.statusCode ?? 0
        if (status >= 200 && status < 300) {
          if (!settled) {
            settled = true
            resolve(answer)
          }
          return
        }
        readText(answer, signal).then((text) => fail(EngineHttpError.fromBody(status, text)), fail)
      })
      if (payload) req.end(payload)
      else if (request.upload) pump(request.upload, req, request.onUpload)
      else req.end()
    })
  }
}

/**
 * Feed a body into the request by hand rather than with pipe(): the same back-pressure, and the byte
 * count for progress without an extra Transform stage per chunk. A failing source fails the request.
 */
function pump(source: Readable, req: ClientRequest, onChunk?: (bytes: number) => void): void {
  const onData = (chunk: Buffer) => {
    onChunk?.(chunk.length)
    if (!req.write(chunk)) {
      source.pause()
      req.once('drain', () => source.resume())
    }
  }
  source.on('data', onData)
  if (source.readableEnded) req.end()
  else source.once('end', () => req.end())
  source.once('error', (error) => req.destroy(error))
  // The engine may answer (and close) before reading everything, e.g. a refused archive.
  req.once('close', () => {
    source.off('data', onData)
    if (!source.readableEnded) source.destroy()
  })
}

async function readText(res: IncomingMessage, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of res) {
    if (signal?.aborted) throw abortError(signal)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
