/**
 * A stand-in Docker engine on a unix socket that records what `docker build` uploads.
 *
 * It answers the docker CLI's handshake (`/_ping`, `/version`, `/info`), reads the whole body of
 * `POST /build` (the build-context tar exactly as the CLI sends it), then answers with a build error
 * so that the CLI stops: no build runs and nothing reaches a real engine. Used by the side-by-side
 * test (test/engine/context-side-by-side.test.ts) and the benchmark (bench/context.mjs).
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const API = '1.41'

/**
 * Start a recorder. `keep: true` keeps each upload's bytes (tests); otherwise only counts them (bench).
 * Returns {socket, host, uploads, close()} where uploads[i] = {query, bytes, body?}.
 */
export async function startRecorder({keep = true} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dk-recorder-'))
  const socket = join(dir, 'docker.sock')
  const uploads = []
  const waiters = new Map()
  const server = createServer((req, res) => {
    const headers = {'Api-Version': API, 'Ostype': 'linux', 'Docker-Experimental': 'false', 'Builder-Version': '1', 'Content-Type': 'application/json'}
    const url = new URL(req.url ?? '/', 'http://docker')
    const path = url.pathname.replace(/^\/v[0-9.]+/, '')
    if (path === '/_ping') {
      res.writeHead(200, {...headers, 'Content-Type': 'text/plain'})
      res.end(req.method === 'HEAD' ? undefined : 'OK')
      return
    }
    if (path === '/version') {
      res.writeHead(200, headers)
      res.end(JSON.stringify({Version: '20.10.24', ApiVersion: API, MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64'}))
      return
    }
    if (path === '/info') {
      res.writeHead(200, headers)
      res.end(JSON.stringify({OSType: 'linux', Name: 'dk-recorder'}))
      return
    }
    if (path === '/build' && req.method === 'POST') {
      const chunks = []
      let bytes = 0
      req.on('data', (chunk) => {
        bytes += chunk.length
        if (keep) chunks.push(chunk)
      })
      req.on('end', () => {
        const upload = {query: Object.fromEntries(url.searchParams), bytes, body: keep ? Buffer.concat(chunks) : undefined}
        uploads.push(upload)
        const tag = upload.query.t
        if (tag && waiters.has(tag)) waiters.get(tag)(upload)
        res.writeHead(200, headers)
        res.end(`${JSON.stringify({errorDetail: {message: 'dk-recorder: upload recorded, not building'}, error: 'dk-recorder: upload recorded, not building'})}\n`)
      })
      return
    }
    res.writeHead(404, headers)
    res.end(JSON.stringify({message: `dk-recorder: ${req.method} ${path} not implemented`}))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(socket, resolve)
  })
  const configDir = join(dir, 'config')
  writeFileSync(join(dir, 'config.json'), '{}')
  return {
    socket,
    host: `unix://${socket}`,
    uploads,
    /** The env for a docker CLI that must talk to this recorder, legacy builder, no user config. */
    env: {...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: configDir, DOCKER_CLI_HINTS: 'false', DOCKER_CONTEXT: ''},
    /** Run `docker build` with args; resolves with {code, stderr, upload} (the upload tagged by `tag`). */
    dockerBuild(args, {cwd, tag, input} = {}) {
      return new Promise((resolve, reject) => {
        const fullArgs = ['build', ...(tag ? ['-t', tag] : []), ...args]
        let upload
        if (tag) {
          waiters.set(tag, (u) => {
            upload = u
          })
        }
        const child = spawn('docker', fullArgs, {cwd, env: this.env, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe']})
        const err = []
        child.stderr.on('data', (b) => err.push(b))
        child.on('error', reject)
        if (input !== undefined) child.stdin.end(input)
        child.on('close', (code) => {
          if (tag) waiters.delete(tag)
          resolve({code, stderr: Buffer.concat(err).toString('utf8'), upload})
        })
      })
    },
    async close() {
      await new Promise((resolve) => server.close(() => resolve()))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
