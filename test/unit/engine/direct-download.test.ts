import {mkdtempSync, openSync, closeSync, readFileSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {EngineAddress} from '../../../src/engine/connect.js'
import {downloadToFd} from '../../../src/engine/direct-download.js'
import {BodyDecoder, isPlainSocket} from '../../../src/engine/wire.js'

function decodeAll(decoder: BodyDecoder, pieces: string[]): string {
  return pieces.map((p) => Buffer.concat(decoder.decode(Buffer.from(p, 'latin1'))).toString('latin1')).join('')
}

describe('BodyDecoder', () => {
  it('decodes chunked bodies whose size lines, data and CRLFs are split anywhere', () => {
    const wire = '5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n'
    for (let cut = 1; cut < wire.length; cut++) {
      const decoder = new BodyDecoder()
      decoder.configure(['Transfer-Encoding: chunked'])
      expect(decodeAll(decoder, [wire.slice(0, cut), wire.slice(cut)])).toBe('helloabcdefghijklmnopqrstuvwxyz')
      expect(decoder.done).toBe(true)
    }
  })

  it('is not done until the last chunk and its empty line: a cut-off answer stays unfinished', () => {
    const decoder = new BodyDecoder()
    decoder.configure(['Transfer-Encoding: chunked'])
    expect(decodeAll(decoder, ['5\r\nhel'])).toBe('hel')
    expect(decoder.done).toBe(false)
    decodeAll(decoder, ['lo\r\n0\r\n'])
    expect(decoder.done).toBe(false)
    decodeAll(decoder, ['\r\n'])
    expect(decoder.done).toBe(true)
  })

  it('reads Content-Length bodies exactly, and everything when the answer has neither', () => {
    const sized = new BodyDecoder()
    sized.configure(['Content-Length: 4'])
    expect(decodeAll(sized, ['ab', 'cdEXTRA'])).toBe('abcd')
    expect(sized.done).toBe(true)
    const open = new BodyDecoder()
    open.configure([])
    expect(decodeAll(open, ['ab', 'cd'])).toBe('abcd')
    expect(open.done).toBe(false)
  })

  it('refuses a chunk size that is not hexadecimal', () => {
    const decoder = new BodyDecoder()
    decoder.configure(['Transfer-Encoding: chunked'])
    expect(() => decoder.decode(Buffer.from('zz\r\n'))).toThrow(/bad chunk size/)
  })
})

describe('isPlainSocket', () => {
  const base = {source: 'default', sourceDetail: 'default'} as const
  it('takes plain sockets only', () => {
    expect(isPlainSocket({...base, url: 'unix:///var/run/docker.sock', scheme: 'unix', socketPath: '/var/run/docker.sock'})).toBe(true)
    expect(isPlainSocket({...base, url: 'tcp://h:2375', scheme: 'tcp', host: 'h', port: 2375})).toBe(true)
    expect(isPlainSocket({...base, url: 'tcp://h:2376', scheme: 'tcp', host: 'h', port: 2376, tls: {verify: true}})).toBe(false)
    expect(isPlainSocket({...base, url: 'ssh://me@h', scheme: 'ssh', host: 'h'})).toBe(false)
  })
})

// A socket that answers like an HTTP server (not like Docker): what dk does with a broken transfer
// cannot be provoked from a real engine on demand.
describe('downloadToFd over a socket', () => {
  let dir: string
  let server: Server
  let answer = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dk-direct-download-'))
    server = createServer((socket) => socket.once('data', () => socket.end(answer, 'latin1')))
    await new Promise<void>((done) => server.listen(join(dir, 'sock'), done))
  })
  afterAll(() => {
    server.close()
    rmSync(dir, {recursive: true, force: true})
  })
  const address = (): EngineAddress => ({url: 'unix://x', scheme: 'unix', source: 'default', sourceDetail: 'default', socketPath: join(dir, 'sock')})

  async function download(wire: string): Promise<{result?: number; error?: Error & {code?: string; statusCode?: number}; file: string}> {
    answer = wire
    const path = join(dir, `out-${Math.random()}`)
    const fd = openSync(path, 'w')
    try {
      return {result: await downloadToFd(address(), '/v1.41/images/get', fd), file: readFileSync(path, 'latin1')}
    } catch (error) {
      return {error: error as Error, file: readFileSync(path, 'latin1')}
    } finally {
      closeSync(fd)
    }
  }

  it('writes a complete chunked answer and counts its bytes', async () => {
    const r = await download('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')
    expect(r).toMatchObject({result: 5, file: 'abcde'})
  })

  it('takes the close as the end of an answer with neither chunks nor a length', async () => {
    const r = await download('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabcde')
    expect(r).toMatchObject({result: 5, file: 'abcde'})
  })

  it('fails when the connection closes before the header, or before a Content-Length body ends', async () => {
    expect((await download('HTTP/1.1 200 OK\r\nContent-')).error?.code).toBe('ETRUNCATED')
    expect((await download('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc')).error?.code).toBe('ETRUNCATED')
  })

  it('fails with ETRUNCATED when the connection closes before the last chunk', async () => {
    const r = await download('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nd')
    expect(r.error?.code).toBe('ETRUNCATED')
  })

  it('turns an error answer into the engine-http error shape', async () => {
    const r = await download('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 35\r\n\r\n{"message":"no such image: nope:1"}')
    expect(r.error).toMatchObject({statusCode: 404, json: {message: 'no such image: nope:1'}})
    expect(r.file).toBe('')
  })
})
