// uploadDirect and directRequest against a socket that answers like an HTTP server (not like Docker):
// what dk does with an early answer, a broken connection or a file that shrinks cannot be provoked
// from a real engine on demand. The real engine is test/engine/images.test.ts's business.
import {closeSync, mkdtempSync, openSync, rmSync, writeFileSync} from 'node:fs'
import {Readable} from 'node:stream'
import {createServer, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {EngineAddress} from '../../../src/engine/connect.js'
import {directRequest} from '../../../src/engine/wire.js'
import {uploadDirect} from '../../../src/engine/direct-upload.js'

let dir: string
let server: Server
/** How the server treats the next connection. */
let behave: (socket: Socket) => void = () => undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dk-direct-upload-'))
  server = createServer((socket) => behave(socket))
  await new Promise<void>((done) => server.listen(join(dir, 'sock'), done))
})
afterAll(() => {
  server.close()
  rmSync(dir, {recursive: true, force: true})
})
const address = (): EngineAddress => ({url: 'unix://x', scheme: 'unix', source: 'default', sourceDetail: 'default', socketPath: join(dir, 'sock')})

/** Read a request whole (header + Content-Length body), then answer with `wire`. */
function answerAfterBody(wire: string, seen: {head?: string; body?: Buffer}): (socket: Socket) => void {
  return (socket) => {
    let data = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk])
      const end = data.indexOf('\r\n\r\n')
      if (end === -1) return
      const head = data.subarray(0, end).toString('latin1')
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
      if (data.length - end - 4 < length) return
      seen.head = head
      seen.body = data.subarray(end + 4)
      socket.end(wire, 'latin1')
    })
  }
}

/** An answer with `text` as one chunk. */
const chunked = (status: string, text: string) => `HTTP/1.1 ${status}\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n0\r\n\r\n`
const sized = (status: string, text: string) => `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`

function file(content: Buffer | string): {fd: number; size: number; close: () => void} {
  const path = join(dir, `in-${Math.random()}`)
  writeFileSync(path, content)
  const fd = openSync(path, 'r')
  return {fd, size: Buffer.byteLength(content), close: () => closeSync(fd)}
}

describe('uploadDirect', () => {
  it('sends the file whole with a Content-Length, counts it, and hands the answer on', async () => {
    // Three buffers' worth and a bit: the two buffers take turns.
    const content = Buffer.alloc(3 * (1 << 20) + 123, 7)
    const seen: {head?: string; body?: Buffer} = {}
    behave = answerAfterBody(chunked('200 OK', '{"stream":"Loaded image: a:1\\n"}'), seen)
    const input = file(content)
    let counted = 0
    const answer: Buffer[] = []
    try {
      await uploadDirect(address(), '/v1.41/images/load?quiet=1', {fd: input.fd, size: input.size}, {onChunk: (n) => (counted += n), onAnswer: (d) => answer.push(Buffer.from(d))})
    } finally {
      input.close()
    }
    expect(seen.head).toMatch(/^POST \/v1\.41\/images\/load\?quiet=1 HTTP\/1\.1\r\n/)
    expect(seen.head).toContain(`Content-Length: ${content.length}`)
    expect(seen.body?.equals(content)).toBe(true)
    expect(counted).toBe(content.length)
    expect(Buffer.concat(answer).toString()).toBe('{"stream":"Loaded image: a:1\\n"}')
  })

  it('takes an error answer that comes before the body is sent, in the engine-http error shape', async () => {
    behave = (socket) => socket.once('data', () => socket.end(sized('500 Internal Server Error', '{"message":"unexpected EOF"}')))
    const input = file(Buffer.alloc(4 << 20))
    try {
      const error = await uploadDirect(address(), '/images/load', {fd: input.fd, size: input.size}).catch((e) => e)
      // Either the answer was read (the usual case) or the socket broke first: never a hang, never success.
      if (error.statusCode !== undefined) expect(error).toMatchObject({statusCode: 500, json: {message: 'unexpected EOF'}})
      else expect(['EPIPE', 'ECONNRESET', 'ETRUNCATED']).toContain(error.code)
    } finally {
      input.close()
    }
  })

  it('fails with ETRUNCATED when the engine closes without a whole answer', async () => {
    behave = answerAfterBody('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc', {})
    const input = file('abcdef')
    try {
      await expect(uploadDirect(address(), '/images/load', {fd: input.fd, size: input.size})).rejects.toMatchObject({code: 'ETRUNCATED'})
    } finally {
      input.close()
    }
  })

  it('fails with ESHRUNK when the file holds less than its size said', async () => {
    behave = () => undefined // reads nothing, answers nothing
    const input = file('short')
    try {
      await expect(uploadDirect(address(), '/images/load', {fd: input.fd, size: 1000})).rejects.toMatchObject({code: 'ESHRUNK'})
    } finally {
      input.close()
    }
  })

  it('stops at once with an AbortError when the signal fires', async () => {
    behave = () => undefined // reads nothing: the socket's buffers fill and the upload waits
    const input = file(Buffer.alloc(8 << 20))
    const controller = new AbortController()
    try {
      const sending = uploadDirect(address(), '/images/load', {fd: input.fd, size: input.size}, {signal: controller.signal})
      setTimeout(() => controller.abort(), 20)
      await expect(sending).rejects.toMatchObject({name: 'AbortError'})
    } finally {
      input.close()
    }
  })
})

describe('uploadDirect with a stream', () => {
  it('sends it chunked, one chunk per piece, ended by the zero chunk, and counts every byte', async () => {
    let raw = Buffer.alloc(0)
    behave = (socket) =>
      socket.on('data', (chunk) => {
        raw = Buffer.concat([raw, chunk])
        if (raw.subarray(-5).toString() === '0\r\n\r\n') socket.end(chunked('200 OK', '{"stream":"Step 1/1"}'))
      })
    const pieces = [Buffer.from('hello '), Buffer.alloc(70_000, 97), Buffer.from('!')]
    let counted = 0
    let answer = ''
    await uploadDirect(address(), '/v1.41/build?q=1', {stream: Readable.from(pieces)}, {onChunk: (n) => (counted += n), onAnswer: (d) => (answer += d.toString())})
    const text = raw.toString('latin1')
    expect(text).toMatch(/^POST \/v1\.41\/build\?q=1 HTTP\/1\.1\r\n/)
    expect(text).toContain('Transfer-Encoding: chunked')
    const body = text.slice(text.indexOf('\r\n\r\n') + 4)
    expect(body).toBe(`6\r\nhello \r\n${(70_000).toString(16)}\r\n${'a'.repeat(70_000)}\r\n1\r\n!\r\n0\r\n\r\n`)
    expect(counted).toBe(70_007)
    expect(answer).toBe('{"stream":"Step 1/1"}')
  })

  it("fails with the stream's own error (a context file that vanished), not a connection error", async () => {
    behave = () => undefined
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('file vanished'), {code: 'CONTEXT_CHANGED'}))
      },
    })
    await expect(uploadDirect(address(), '/build', {stream: failing})).rejects.toMatchObject({message: 'file vanished', code: 'CONTEXT_CHANGED'})
  })
})

describe('directRequest', () => {
  it('returns the status, the headers by lower-case name and the body', async () => {
    behave = (socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK'))
    const answer = await directRequest(address(), '/_ping')
    expect(answer.status).toBe(200)
    expect(answer.headers['api-version']).toBe('1.41')
    expect(answer.body.toString()).toBe('OK')
  })

  it('ends a 204 answer at its header, and says Content-Length: 0 for a POST without a body', async () => {
    let request = ''
    behave = (socket) =>
      socket.once('data', (data) => {
        request = data.toString('latin1')
        // No Content-Length and the connection left open: only the status says the answer is over.
        socket.write('HTTP/1.1 204 No Content\r\nApi-Version: 1.41\r\n\r\n')
      })
    const answer = await directRequest(address(), '/v1.41/containers/x/start', {method: 'POST'})
    expect(answer.status).toBe(204)
    expect(request).toMatch(/^POST \/v1\.41\/containers\/x\/start HTTP\/1\.1\r\n/)
    expect(request).toContain('Content-Length: 0\r\n')
  })

  it('times out with ETIMEDOUT on a silent engine, and keeps errno codes for a missing socket', async () => {
    behave = () => undefined
    await expect(directRequest(address(), '/_ping', {timeoutMs: 50})).rejects.toMatchObject({code: 'ETIMEDOUT'})
    await expect(directRequest({...address(), socketPath: join(dir, 'nope.sock')}, '/_ping')).rejects.toMatchObject({code: 'ENOENT'})
  })
})
