/**
 * A request body sent straight into the engine's plain socket: `dk load -i FILE` (a file) and
 * `dk build` (the context's tar stream).
 *
 * Through node:http, the file went through a read stream, the request's chunked encoder and the
 * socket's stream machinery: measured on a 200 MB archive, dk's load was 1.11× `docker load` while
 * a bare socket loop was 1.01×. The engine is busy unpacking on the other core while the client
 * sends, so every millisecond of client CPU shows. Here two 1 MiB buffers take turns: the next part
 * of the file is read (thread pool) while the previous one is being written to the socket.
 *
 * A file's size is known, so it goes with a Content-Length: no chunk framing, and the engine sees a
 * short body (the file shrank while it was sent) as the cut-off archive it is. A stream (the build
 * context, made as it is sent) goes chunked, each chunk in one writev with its framing. The answer
 * is handed on as it comes (a build's progress). Only plain sockets (`isPlainSocket`); TLS and ssh,
 * and `dk load` from standard input, go through engine-http.
 */
import {read} from 'node:fs'
import {connect} from 'node:net'
import type {Readable} from 'node:stream'

import type {EngineAddress} from './connect.js'
import {AnswerReader, Exchange, socketTarget} from './wire.js'

export interface DirectUploadOptions {
  signal?: AbortSignal
  /** Bytes of the body: a file's as the socket takes them, a stream's as they are handed to it. */
  onChunk?: (bytes: number) => void
  /** The body of a 2xx answer, slice by slice (views: copy what you keep). */
  onAnswer?: (data: Buffer) => void
}

const CHUNK = 1 << 20

/** `size` bytes of an open file from its start, or a stream to its end. */
export type UploadBody = {fd: number; size: number} | {stream: Readable}

/**
 * POST `body` (a tar) to `path` (with its /vX.Y prefix and query) and read the answer. Resolves once a 2xx
 * answer has ended; rejects with an EngineHttpError for an error answer, an AbortError when the
 * signal fires, ETRUNCATED when the engine closes without a whole answer, ESHRUNK when the file ends
 * before `size` bytes, the stream's own error when it fails, and the socket's error (EPIPE,
 * ECONNRESET…) when it breaks before any answer.
 */
export function uploadDirect(address: EngineAddress, path: string, body: UploadBody, options: DirectUploadOptions = {}): Promise<void> {
  const {signal} = options
  return new Promise((resolve, reject) => {
    const reader = new AnswerReader((slices) => slices.forEach((slice) => options.onAnswer?.(slice)))
    // Settling waits for the file reads to stop: the caller closes the file next.
    let sendingStopped: Promise<unknown> = Promise.resolve()
    const socket = connect(socketTarget(address))
    const exchange = new Exchange(socket, signal, (error) => sendingStopped.then(() => (error ? reject(error) : resolve())))
    const finish = (error?: unknown) => exchange.end(error)
    socket.on('data', (data: Buffer) => {
      if (exchange.ended) return
      try {
        // An answer may come before the whole body was sent (an engine that gave up reading): it is
        // the answer all the same, and sending stops with the socket.
        if (reader.take(data)) finish(reader.error())
      } catch (error) {
        finish(error)
      }
    })
    socket.on('error', (error) => finish(error))
    socket.on('close', () => {
      if (exchange.ended) return
      if (reader.wholeAtClose) return finish(reader.error())
      finish(Object.assign(new Error(reader.head.complete ? 'the engine closed the connection before the end of its answer' : 'the engine closed the connection without answering'), {code: 'ETRUNCATED'}))
    })
    socket.on('connect', () => {
      const framing = 'fd' in body ? `Content-Length: ${body.size}` : 'Transfer-Encoding: chunked'
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dk\r\nContent-Type: application/x-tar\r\n` +
          `${framing}\r\nConnection: close\r\n\r\n`,
      )
      const sending = 'fd' in body ? sendFile(body.fd, body.size) : sendStream(body.stream)
      sendingStopped = sending.catch(() => undefined)
      sending.catch(finish)
    })

    /** Read part k+1 while part k is on its way: each buffer is refilled only after its write completed. */
    async function sendFile(fd: number, size: number): Promise<void> {
      const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
      let sent = 0
      let writing: Promise<void> = Promise.resolve()
      for (let turn = 0; sent < size && !exchange.ended; turn++) {
        const buffer = buffers[turn & 1]
        const length = await readAt(fd, buffer, Math.min(CHUNK, size - sent), sent)
        if (length === 0) throw Object.assign(new Error(`the file ended after ${sent} of ${size} bytes (it changed while it was sent)`), {code: 'ESHRUNK'})
        await writing
        if (exchange.ended) return
        writing = write(buffer.subarray(0, length))
        // Awaited on the next turn; a failure meanwhile must not count as unhandled.
        writing.catch(() => undefined)
        sent += length
      }
      await writing
    }

    /**
     * The stream's chunks as they come, each counted as it is handed over (before the stream's own
     * 'end', which a build's "Sending build context" line waits for), with back-pressure.
     */
    function sendStream(stream: Readable): Promise<void> {
      return new Promise((done, fail) => {
        stream.on('data', (chunk: Buffer) => {
          if (exchange.ended) return
          options.onChunk?.(chunk.length)
          socket.cork()
          socket.write(`${chunk.length.toString(16)}\r\n`)
          socket.write(chunk)
          socket.write('\r\n')
          socket.uncork()
          if (socket.writableNeedDrain) {
            stream.pause()
            socket.once('drain', () => stream.resume())
          }
        })
        stream.once('end', () => {
          if (!exchange.ended) socket.write('0\r\n\r\n')
          done()
        })
        stream.once('error', fail)
        // A socket closed meanwhile (an answer, an abort) stops the sending as well.
        socket.once('close', () => done())
      })
    }

    function write(chunk: Buffer): Promise<void> {
      return new Promise((done, fail) =>
        socket.write(chunk, (error) => {
          if (error) return fail(error)
          options.onChunk?.(chunk.length)
          done()
        }),
      )
    }
  })
}

function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((done, fail) => read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? fail(error) : done(bytesRead))))
}
