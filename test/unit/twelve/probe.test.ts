import {createServer as createHttpServer, type Server as HttpServer} from 'node:http'
import {createServer, type AddressInfo, type Server} from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import {httpGet, tcpExchange} from '../../../src/twelve/probe.js'

const servers: Array<Server | HttpServer> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function listen<T extends Server | HttpServer>(server: T): Promise<number> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

describe('tcpExchange', () => {
  it('sends the probe and collects the answer until the peer is quiet', async () => {
    const port = await listen(createServer((socket) => socket.on('data', (d) => socket.write(`STAT got ${d.toString().trim()}\r\nEND\r\n`))))
    const answer = await tcpExchange('127.0.0.1', port, 'stats\r\n', 2000, 100)
    expect(answer).toMatchObject({ok: true, body: 'STAT got stats\r\nEND\r\n'})
  })

  it('a connection closed at once is no answer (docker-proxy with nothing behind it)', async () => {
    const port = await listen(createServer((socket) => socket.end()))
    const answer = await tcpExchange('127.0.0.1', port, undefined, 2000, 100)
    expect(answer.ok).toBe(false)
    expect(answer.error).toBe('the connection was closed at once')
  })

  it('a closed port is no answer, with the reason', async () => {
    const port = await listen(createServer())
    await new Promise((r) => servers.pop()!.close(r))
    const answer = await tcpExchange('127.0.0.1', port, 'x', 1000, 100)
    expect(answer.ok).toBe(false)
    expect(answer.error).toMatch(/ECONNREFUSED/)
  })
})

describe('httpGet', () => {
  it('returns status and body of a GET to the path', async () => {
    const port = await listen(createHttpServer((req, res) => res.writeHead(404).end(`no ${req.url}`)))
    expect(await httpGet('127.0.0.1', port, '/x?y=1')).toMatchObject({ok: true, status: 404, body: 'no /x?y=1'})
  })

  it('gives up after the timeout when the app never answers', async () => {
    const port = await listen(createHttpServer(() => undefined))
    const answer = await httpGet('127.0.0.1', port, '/', 300)
    expect(answer.ok).toBe(false)
    expect(answer.error).toMatch(/no answer within 300 ms/)
  })

  it('keeps only the first 64 kB of a large body', async () => {
    const port = await listen(createHttpServer((_req, res) => res.end('x'.repeat(200_000))))
    expect((await httpGet('127.0.0.1', port, '/')).body.length).toBe(64 * 1024)
  })
})
