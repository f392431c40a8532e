/**
 * HTTP/1.1 on the engine's socket, as much as dk needs of it: what engine-http's plain GETs and the
 * direct transfers (direct-download.ts, direct-upload.ts) share. The error shapes (EngineHttpError,
 * the AbortError) are engine-http's, so errors.ts maps every path's failures alike.
 *
 * Why dk speaks HTTP on a bare socket at all: node:http costs ~8 ms of start-up (loading it, its
 * agent, the first request) and, for a 200 MB transfer, a parser callback, a Buffer and a stream
 * event per 32–64 KiB; the engine is busy on the other core meanwhile, so that CPU shows in the wall
 * time (measured: bench/images.mjs, README). Only plain sockets (unix, npipe, tcp without TLS) come
 * here; TLS and ssh go through node:http/https in engine-http.
 */
import {connect, type Socket} from 'node:net'

import type {EngineAddress} from './connect.js'

const MAX_HEADER = 64 * 1024

/** An HTTP error answer, shaped as docker-modem's errors so errors.ts reads both. */
export class EngineHttpError extends Error {
  readonly statusCode: number
  readonly reason: string
  readonly json: unknown

  constructor(statusCode: number, json: unknown) {
    const reason = REASONS[statusCode] ?? 'unexpected'
    const cause = json && typeof json === 'object' ? ((json as {message?: string}).message ?? JSON.stringify(json)) : String(json ?? '')
    super(`(HTTP code ${statusCode}) ${reason} - ${cause} `)
    this.name = 'EngineHttpError'
    this.statusCode = statusCode
    this.reason = reason
    this.json = json
  }

  /** From an error answer's body: the engine's JSON (`{"message": …}`), else its text. */
  static fromBody(statusCode: number, text: string): EngineHttpError {
    try {
      return new EngineHttpError(statusCode, JSON.parse(text))
    } catch {
      return new EngineHttpError(statusCode, text.trim())
    }
  }
}

const REASONS: Record<number, string> = {
  304: 'not modified',
  400: 'bad parameter',
  404: 'not found',
  409: 'conflict',
  500: 'server error',
}

/** TLS when there is TLS material or verification is asked for (as the docker CLI decides). */
export function usesTls(address: EngineAddress): boolean {
  const tls = address.tls
  return Boolean(tls && (tls.verify || tls.ca || tls.cert))
}

/** A plain socket (unix, npipe, tcp without TLS): what this module can talk to. */
export function isPlainSocket(address: EngineAddress): boolean {
  if (address.scheme === 'unix' || address.scheme === 'npipe') return Boolean(address.socketPath)
  return address.scheme === 'tcp' && !usesTls(address)
}

/**
 * A request without a body over a plain socket, its answer read whole: the ping every engine
 * command starts with, inspections, listings, start/stop/remove. Errors keep Node's errno codes
 * (ENOENT, ECONNREFUSED, EACCES) for `unreachable()`; a timeout has code ETIMEDOUT, the signal an
 * AbortError. One connection per request (`Connection: close`): a unix socket connects in ~0.1 ms.
 */
export function directRequest(
  address: EngineAddress,
  path: string,
  options: {method?: 'GET' | 'POST' | 'DELETE'; timeoutMs?: number; signal?: AbortSignal} = {},
): Promise<{status: number; headers: Record<string, string>; body: Buffer}> {
  const {method = 'GET', timeoutMs, signal} = options
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    // Every status is taken as it is: the caller judges it.
    const reader = new AnswerReader((slices) => slices.forEach((slice) => chunks.push(Buffer.from(slice))), () => true)
    const socket = connect(socketTarget(address))
    const exchange = new Exchange(socket, signal, (error) => (error ? reject(error) : resolve({status: reader.head.status, headers: reader.head.headers, body: Buffer.concat(chunks)})))
    const finish = (error?: unknown) => exchange.end(error)
    if (timeoutMs) socket.setTimeout(timeoutMs, () => finish(Object.assign(new Error(`no answer within ${timeoutMs} ms`), {code: 'ETIMEDOUT'})))
    // A POST without a body says so (Content-Length: 0), as node:http's chunked empty body did.
    const length = method === 'GET' ? '' : 'Content-Length: 0\r\n'
    socket.on('connect', () => socket.write(`${method} ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dk\r\n${length}Connection: close\r\n\r\n`))
    socket.on('data', (data: Buffer) => {
      try {
        if (reader.take(data)) finish()
      } catch (error) {
        finish(error)
      }
    })
    socket.on('error', finish)
    socket.on('close', () => finish(reader.wholeAtClose ? undefined : Object.assign(new Error('the engine closed the connection without answering'), {code: 'ECONNRESET'})))
  })
}

/**
 * One exchange on a socket, ended once: the first `end` wins, lets go of the abort signal, closes
 * the socket and settles with its error (or none). The signal ends it with an AbortError, at once
 * when it has already fired.
 */
export class Exchange {
  ended = false
  private readonly onAbort = () => this.end(abortError(this.signal as AbortSignal))

  constructor(
    private readonly socket: Socket,
    private readonly signal: AbortSignal | undefined,
    private readonly settle: (error?: unknown) => void,
  ) {
    if (signal?.aborted) this.onAbort()
    else signal?.addEventListener('abort', this.onAbort, {once: true})
  }

  end(error?: unknown): void {
    if (this.ended) return
    this.ended = true
    this.signal?.removeEventListener('abort', this.onAbort)
    this.socket.destroy()
    this.settle(error)
  }
}

/** Where a plain socket connects. */
export function socketTarget(address: EngineAddress): {path: string} | {host?: string; port: number} {
  // 2375: Docker's plain-tcp port, for an address that named none.
  return address.socketPath ? {path: address.socketPath} : {host: address.host, port: address.port ?? 2375}
}

/**
 * One HTTP answer read off a socket, read by read: the header, then the body. A good answer's body
 * goes to `onBody` (the slices of one read, views into it: copy what you keep); an error answer's
 * is kept, to become engine-http's EngineHttpError.
 */
export class AnswerReader {
  readonly head = new AnswerHead()
  private readonly body = new BodyDecoder()
  private errorBody: Buffer[] | undefined

  constructor(
    private readonly onBody: (slices: Buffer[]) => void,
    private readonly good: (status: number) => boolean = (status) => status >= 200 && status <= 299,
  ) {}

  /** Take one read; true once the answer is complete. Throws on a malformed answer. */
  take(data: Buffer): boolean {
    if (!this.head.complete) {
      const rest = this.head.push(data, this.body)
      if (rest === undefined) return false
      if (!this.good(this.head.status)) this.errorBody = []
      // 204 and 304 answers have no body, whatever their headers say.
      if (this.head.status === 204 || this.head.status === 304) return true
      data = rest
    }
    const slices = this.body.decode(data)
    if (this.errorBody) for (const slice of slices) this.errorBody.push(Buffer.from(slice))
    else if (slices.length > 0) this.onBody(slices)
    return this.body.done
  }

  /** At the connection's close: is the answer whole? (Without chunks or a length, the close is its end.) */
  get wholeAtClose(): boolean {
    return this.head.complete && this.body.completeAtClose()
  }

  /** An error answer as engine-http's error; undefined for a good one. */
  error(): EngineHttpError | undefined {
    return this.errorBody ? EngineHttpError.fromBody(this.head.status, Buffer.concat(this.errorBody).toString('utf8')) : undefined
  }
}

/** An answer's status line and headers, gathered across reads. */
export class AnswerHead {
  complete = false
  status = 0
  /** Header values by lower-case name. */
  headers: Record<string, string> = {}
  private pending = Buffer.alloc(0)

  /** Undefined while the header is incomplete; then the body bytes that followed it (`body` configured). */
  push(data: Buffer, body: BodyDecoder): Buffer | undefined {
    this.pending = this.pending.length === 0 ? Buffer.from(data) : Buffer.concat([this.pending, data])
    const end = this.pending.indexOf('\r\n\r\n')
    if (end === -1) {
      if (this.pending.length > MAX_HEADER) throw new Error('the engine answered with no HTTP header')
      return undefined
    }
    const lines = this.pending.subarray(0, end).toString('latin1').split('\r\n')
    this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0)
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon > 0) this.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    body.configure(lines.slice(1))
    this.complete = true
    const rest = this.pending.subarray(end + 4)
    this.pending = Buffer.alloc(0)
    return rest
  }
}

/**
 * The body of an HTTP/1.1 answer: chunked (what the engine sends for a stream), a Content-Length, or
 * everything until the connection closes. `decode` returns the data slices of a read, views into it.
 */
export class BodyDecoder {
  done = false
  private mode: 'chunked' | 'length' | 'close' = 'close'
  /** Bytes left in the current chunk (chunked) or in the body (length). */
  private remaining = 0
  /** Chunked: reading a size line, the CRLF after a chunk's data, or the trailer after the last chunk. */
  private state: 'size' | 'data' | 'crlf' | 'trailer' = 'size'
  private line = ''

  /** The connection closed: is the body whole? (Without chunks or a length, the close is its end.) */
  completeAtClose(): boolean {
    return this.done || this.mode === 'close'
  }

  configure(headerLines: string[]): void {
    const value = (name: string) => headerLines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim()
    if (/chunked/i.test(value('transfer-encoding') ?? '')) this.mode = 'chunked'
    else if (value('content-length') !== undefined) {
      this.mode = 'length'
      this.remaining = Number(value('content-length'))
      this.done = this.remaining === 0
    }
  }

  decode(data: Buffer): Buffer[] {
    if (this.mode === 'close') return data.length > 0 ? [data] : []
    if (this.mode === 'length') {
      const take = data.subarray(0, this.remaining)
      this.remaining -= take.length
      this.done = this.remaining === 0
      return take.length > 0 ? [take] : []
    }
    const slices: Buffer[] = []
    let i = 0
    while (i < data.length && !this.done) {
      if (this.state === 'data') {
        const take = data.subarray(i, i + this.remaining)
        slices.push(take)
        i += take.length
        this.remaining -= take.length
        if (this.remaining === 0) this.state = 'crlf'
        continue
      }
      // Size lines, chunk ends and trailers are short: read them a character at a time.
      const c = data[i++]
      if (c !== 0x0a) {
        if (c !== 0x0d) this.line += String.fromCharCode(c)
        continue
      }
      const line = this.line
      this.line = ''
      if (this.state === 'crlf') this.state = 'size'
      else if (this.state === 'size') {
        const size = Number.parseInt(line.split(';')[0].trim(), 16)
        if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size in the engine's answer: ${JSON.stringify(line.slice(0, 20))}`)
        this.remaining = size
        this.state = size === 0 ? 'trailer' : 'data'
      } else if (line === '') this.done = true // the empty line that ends the trailer
    }
    return slices
  }
}

export function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', {cause: signal.reason})
  error.name = 'AbortError'
  return Object.assign(error, {code: 'ABORT_ERR'})
}
