/**
 * Talking to the app from the outside, as a router would: one HTTP GET (status and the first 64 kB
 * of the body) or one TCP exchange (connect, optionally send, read until the peer is quiet).
 * Both are bounded in time and size and never throw: failures come back as `error`.
 */
import {request} from 'node:http'
import {connect} from 'node:net'

export interface ProbeAnswer {
  ok: boolean
  /** HTTP status (http only). */
  status?: number
  body: string
  error?: string
  ms: number
}

const MAX_BODY = 64 * 1024

export function httpGet(host: string, port: number, path: string, timeoutMs = 2000): Promise<ProbeAnswer> {
  const started = Date.now()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const req = request({host, port, path, method: 'GET', agent: false, timeout: timeoutMs, headers: {'User-Agent': 'dk-twelve-factor', Connection: 'close'}}, (res) => {
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk)
        size += chunk.length
      })
      res.on('end', () => resolve({ok: true, status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY), ms: Date.now() - started}))
      res.on('error', (error) => resolve({ok: false, body: '', error: error.message, ms: Date.now() - started}))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (error) => resolve({ok: false, body: '', error: error.message, ms: Date.now() - started}))
    req.end()
  })
}

/** Connect, send `send` (if any), collect until the peer closes or stays quiet for `quietMs`. */
export function tcpExchange(host: string, port: number, send: string | undefined, timeoutMs = 2000, quietMs = 300): Promise<ProbeAnswer> {
  const started = Date.now()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let connected = false
    let settled = false
    let quiet: NodeJS.Timeout | undefined
    const socket = connect({host, port})
    const finish = (error?: string) => {
      if (settled) return
      settled = true
      clearTimeout(quiet)
      clearTimeout(overall)
      socket.destroy()
      const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY)
      // A peer that accepts and then resets at once (docker-proxy with nothing behind it) is no answer.
      const ok = connected && !error && (send === undefined || body.length > 0)
      resolve({ok, body, error: ok ? undefined : (error ?? (connected ? 'connected, but no answer' : 'no connection')), ms: Date.now() - started})
    }
    const overall = setTimeout(() => finish(chunks.length ? undefined : `no answer within ${timeoutMs} ms`), timeoutMs)
    const armQuiet = () => {
      clearTimeout(quiet)
      quiet = setTimeout(() => finish(), quietMs)
    }
    socket.on('connect', () => {
      connected = true
      if (send !== undefined) socket.write(send)
      armQuiet()
    })
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      armQuiet()
    })
    socket.on('end', () => finish(chunks.length === 0 && send === undefined ? 'the connection was closed at once' : undefined))
    socket.on('error', (error) => finish(error.message))
  })
}
