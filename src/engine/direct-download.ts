/**
 * An engine answer written straight from the socket to a file: `dk save -o FILE`'s archive.
 *
 * Through node:http and streams, every 32 KiB chunk the engine writes becomes a parser callback, a
 * Buffer, a stream event and a thread-pool write: for a 200 MB image that was ~0.5 s of CPU on top
 * of the engine's own work, on a machine where the engine needs the other core (measured: dk's
 * save 1.3× `docker save`). Here the socket is read into one reused 1 MiB buffer, the chunked
 * encoding is decoded in place, and each read's data goes to the file in one `writev`: the same
 * copy costs ~0.25 s and a raw copy this way is as fast as the Go CLI.
 *
 * HTTP/1.1 with chunked encoding is kept on purpose: its final zero-size chunk is how a save cut
 * short (the engine stopped, the socket closed) is told apart from a complete archive. (The engine
 * always answers a stream that way; an answer with neither chunks nor a length, which only a proxy
 * might send, has to be taken as ending at the close.) Only plain
 * sockets (unix, npipe, tcp without TLS) come here; `canDownloadDirect` says so, and the caller
 * uses engine-http otherwise.
 */
import {writevSync} from 'node:fs'
import {connect, type NetConnectOpts} from 'node:net'

import type {EngineAddress} from './connect.js'
import {EngineHttpError, abortError, usesTls} from './engine-http.js'

/** A plain socket (unix, npipe, tcp without TLS): what the direct paths, here and in direct-upload.ts, can talk to. */
export function isPlainSocket(address: EngineAddress): boolean {
  if (address.scheme === 'unix' || address.scheme === 'npipe') return Boolean(address.socketPath)
  return address.scheme === 'tcp' && !usesTls(address)
}

export interface DirectDownloadOptions {
  signal?: AbortSignal
  /** Bytes of the body as they reach the file. */
  onChunk?: (bytes: number) => void
}

const READ_BUFFER = 1 << 20
const MAX_HEADER = 64 * 1024

/**
 * GET `path` (with its /vX.Y prefix and query) and write a 200 answer's body to `fd`. Resolves with
 * the byte count; rejects with an EngineHttpError (shaped as engine-http's) for an error answer, an
 * AbortError when the signal fires, and an error with code ETRUNCATED when the answer ends early.
 */
export function downloadToFd(address: EngineAddress, path: string, fd: number, options: DirectDownloadOptions = {}): Promise<number> {
  const {signal} = options
  return new Promise((resolve, reject) => {
    const head = new AnswerHead()
    let errorBody: Buffer[] | undefined
    const body = new BodyDecoder()
    let bytes = 0
    let settled = false

    const finish = (error?: unknown) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      if (error) reject(error)
      else resolve(bytes)
    }
    const onAbort = () => finish(abortError(signal as AbortSignal))

    const take = (data: Buffer) => {
      if (!head.complete) {
        const rest = head.push(data, body)
        if (rest === undefined) return
        data = rest
        if (head.status !== 200) errorBody = []
      }
      const slices = body.decode(data)
      if (errorBody) {
        for (const slice of slices) errorBody.push(Buffer.from(slice))
      } else if (slices.length > 0) {
        // writev may write less than asked (a full disk fails with ENOSPC, thrown); go on from there.
        let pending = slices
        while (pending.length > 0) {
          let written = writevSync(fd, pending)
          bytes += written
          options.onChunk?.(written)
          let k = 0
          while (k < pending.length && written >= pending[k].length) written -= pending[k++].length
          pending = k < pending.length ? [pending[k].subarray(written), ...pending.slice(k + 1)] : []
        }
      }
      if (body.done) settleAnswer()
    }

    const settleAnswer = () => {
      if (!errorBody) return finish()
      finish(EngineHttpError.fromBody(head.status, Buffer.concat(errorBody).toString('utf8')))
    }

    const socket = connect({
      ...socketTarget(address),
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER),
        callback(length: number, buffer: Uint8Array) {
          if (settled) return false
          try {
            // Synchronous on purpose: the read buffer is reused as soon as this returns.
            take(Buffer.from(buffer.buffer, buffer.byteOffset, length))
          } catch (error) {
            finish(error)
            return false
          }
          return true
        },
      },
    } as NetConnectOpts)
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dk\r\nConnection: close\r\n\r\n`))
    // Once the answer has begun, a reset is a cut-off archive, said as one (not "engine unreachable").
    socket.on('error', (error) => finish(!head.complete ? error : Object.assign(new Error(`the connection broke before the end of the archive (${error.message})`), {code: 'ETRUNCATED', cause: error})))
    socket.on('close', () => {
      if (settled) return
      if (head.complete && body.completeAtClose()) return settleAnswer()
      finish(Object.assign(new Error(!head.complete ? 'the engine closed the connection without answering' : 'the engine closed the connection before the end of the archive'), {code: 'ETRUNCATED'}))
    })
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, {once: true})
  })
}

/**
 * A small GET over a plain socket, answer read whole: the ping every engine command starts with.
 * node:http would cost ~8 ms of start-up here (loading it, its agent, the first request), which the
 * commands that go on over direct sockets (save, load) never need otherwise. Errors keep Node's errno
 * codes (ENOENT, ECONNREFUSED, EACCES) for `unreachable()`; a timeout has code ETIMEDOUT.
 */
export function directGet(address: EngineAddress, path: string, timeoutMs?: number): Promise<{status: number; headers: Record<string, string>; body: Buffer}> {
  return new Promise((resolve, reject) => {
    const head = new AnswerHead()
    const body = new BodyDecoder()
    const chunks: Buffer[] = []
    let settled = false
    const finish = (error?: unknown) => {
      if (settled) return
      settled = true
      socket.destroy()
      if (error) reject(error)
      else resolve({status: head.status, headers: head.headers, body: Buffer.concat(chunks)})
    }
    const socket = connect(socketTarget(address))
    if (timeoutMs) socket.setTimeout(timeoutMs, () => finish(Object.assign(new Error(`no answer within ${timeoutMs} ms`), {code: 'ETIMEDOUT'})))
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dk\r\nConnection: close\r\n\r\n`))
    socket.on('data', (data: Buffer) => {
      try {
        if (!head.complete) {
          const rest = head.push(data, body)
          if (rest === undefined) return
          data = rest
        }
        for (const slice of body.decode(data)) chunks.push(Buffer.from(slice))
        if (body.done) finish()
      } catch (error) {
        finish(error)
      }
    })
    socket.on('error', finish)
    socket.on('close', () => finish(head.complete && body.completeAtClose() ? undefined : Object.assign(new Error('the engine closed the connection without answering'), {code: 'ECONNRESET'})))
  })
}

/** Where a plain socket connects. */
export function socketTarget(address: EngineAddress): {path: string} | {host?: string; port: number} {
  // 2375: Docker's plain-tcp port, for an address that named none.
  return address.socketPath ? {path: address.socketPath} : {host: address.host, port: address.port ?? 2375}
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
