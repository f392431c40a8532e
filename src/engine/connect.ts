/**
 * Where the Docker engine is, and a client for it.
 *
 * Order (DESIGN.md): `--host` flag → `DOCKER_HOST` (+ `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`) →
 * the docker CLI's current context (`DOCKER_CONTEXT`, then `currentContext` in
 * `$DOCKER_CONFIG/config.json`) → the platform's default socket. Unlike docker-modem, dk reads
 * docker contexts, so `dk` talks to the same engine as `docker` on a machine with Docker Desktop or
 * a remote context. Inputs (env, platform, home, file reader) are parameters so that unit tests
 * need no global state.
 *
 * Connecting (ping, version) goes through dk's own client (engine-http.ts). dockerode costs ~150 ms
 * of start-up (it loads docker-modem, ssh2, gRPC and protobufjs), so `Engine.docker` is made on
 * first use only, for the code that still needs it (run, attach, exec, logs, exercises, setup…).
 */
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {join} from 'node:path'

import type Dockerode from 'dockerode'

import {DkError, EngineUnreachableError, UsageError} from '../cli/errors.js'
import {EngineHttp, usesTls} from './engine-http.js'

export type EngineSource = 'flag' | 'DOCKER_HOST' | 'context' | 'default'

export interface EngineAddress {
  /** The address as a user writes it: unix:///var/run/docker.sock, tcp://1.2.3.4:2376, ssh://me@host. */
  url: string
  scheme: 'unix' | 'npipe' | 'tcp' | 'ssh'
  /** Where the address came from, for messages ("DOCKER_HOST", "context desktop-linux", …). */
  source: EngineSource
  sourceDetail: string
  socketPath?: string
  host?: string
  port?: number
  username?: string
  tls?: {verify: boolean; ca?: Buffer; cert?: Buffer; key?: Buffer; certPath?: string}
}

export interface ResolveInputs {
  host?: string
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  home?: string
  exists?: (path: string) => boolean
  readFile?: (path: string) => Buffer
}

/** Work out which engine to talk to, without touching the network. */
export function resolveEngine(inputs: ResolveInputs = {}): EngineAddress {
  const env = inputs.env ?? process.env
  const platform = inputs.platform ?? process.platform
  const home = inputs.home ?? homedir()
  const exists = inputs.exists ?? existsSync
  const readFile = inputs.readFile ?? ((p: string) => readFileSync(p))

  if (inputs.host) return parseHost(inputs.host, 'flag', '--host', tlsFromEnv(env, readFile))
  if (env.DOCKER_HOST) return parseHost(env.DOCKER_HOST, 'DOCKER_HOST', 'DOCKER_HOST', tlsFromEnv(env, readFile))

  const configDir = env.DOCKER_CONFIG || join(home, '.docker')
  const contextName = env.DOCKER_CONTEXT || readCurrentContext(configDir, readFile)
  if (contextName && contextName !== 'default') {
    // node:crypto (~5 ms of start-up) is loaded only when a context is named.
    const {createHash} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
    const digest = createHash('sha256').update(contextName).digest('hex')
    const metaPath = join(configDir, 'contexts', 'meta', digest, 'meta.json')
    let meta: {Endpoints?: {docker?: {Host?: string; SkipTLSVerify?: boolean}}}
    try {
      meta = JSON.parse(readFile(metaPath).toString('utf8'))
    } catch {
      throw new UsageError(`Docker context "${contextName}" is selected but its settings were not found (${metaPath}).`, {
        hint: `Run \`docker context ls\` and \`docker context use default\`, or unset DOCKER_CONTEXT.`,
      })
    }
    const hostUrl = meta.Endpoints?.docker?.Host
    if (hostUrl) {
      const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker')
      const tls = exists(join(tlsDir, 'ca.pem'))
        ? {
            verify: !meta.Endpoints?.docker?.SkipTLSVerify,
            ca: readFile(join(tlsDir, 'ca.pem')),
            cert: exists(join(tlsDir, 'cert.pem')) ? readFile(join(tlsDir, 'cert.pem')) : undefined,
            key: exists(join(tlsDir, 'key.pem')) ? readFile(join(tlsDir, 'key.pem')) : undefined,
            certPath: tlsDir,
          }
        : undefined
      return parseHost(hostUrl, 'context', `docker context "${contextName}"`, tls)
    }
  }

  if (platform === 'win32') {
    return {url: 'npipe:////./pipe/docker_engine', scheme: 'npipe', source: 'default', sourceDetail: 'default named pipe', socketPath: '//./pipe/docker_engine'}
  }
  // Docker Desktop (macOS, Linux) puts a per-user socket here; the system socket is the classic default.
  const candidates = ['/var/run/docker.sock', join(home, '.docker', 'run', 'docker.sock')]
  const socketPath = candidates.find((p) => exists(p)) ?? candidates[0]
  return {url: `unix://${socketPath}`, scheme: 'unix', source: 'default', sourceDetail: 'default socket', socketPath}
}

function readCurrentContext(configDir: string, readFile: (p: string) => Buffer): string | undefined {
  try {
    const config = JSON.parse(readFile(join(configDir, 'config.json')).toString('utf8')) as {currentContext?: string}
    return config.currentContext || undefined
  } catch {
    return undefined
  }
}

function tlsFromEnv(env: NodeJS.ProcessEnv, readFile: (p: string) => Buffer): EngineAddress['tls'] {
  const verify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0'
  const certPath = env.DOCKER_CERT_PATH
  if (!verify && !certPath) return undefined
  const dir = certPath || join(env.HOME ?? homedir(), '.docker')
  const read = (name: string) => {
    try {
      return readFile(join(dir, name))
    } catch (error) {
      if (!verify) return undefined
      throw new UsageError(`DOCKER_TLS_VERIFY is set but ${join(dir, name)} cannot be read.`, {
        hint: 'Set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem.',
        cause: error,
      })
    }
  }
  return {verify, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), certPath: dir}
}

/** Parse an engine URL the way the docker CLI accepts it. */
export function parseHost(raw: string, source: EngineSource, sourceDetail: string, tls?: EngineAddress['tls']): EngineAddress {
  const value = raw.trim()
  const bad = () =>
    new UsageError(`Invalid engine address "${raw}" (from ${sourceDetail}).`, {
      hint: 'Use unix:///path/to/docker.sock, tcp://HOST:PORT, ssh://USER@HOST or npipe:////./pipe/NAME.',
    })
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length)
    if (!socketPath) throw bad()
    return {url: value, scheme: 'unix', source, sourceDetail, socketPath}
  }
  if (value.startsWith('npipe://')) {
    const socketPath = value.slice('npipe://'.length)
    if (!socketPath) throw bad()
    return {url: value, scheme: 'npipe', source, sourceDetail, socketPath}
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `tcp://${value}`
  let parsed: URL
  try {
    parsed = new URL(withScheme)
  } catch {
    throw bad()
  }
  const scheme = parsed.protocol.replace(/:$/, '')
  if (scheme === 'ssh') {
    if (!parsed.hostname) throw bad()
    return {url: value, scheme: 'ssh', source, sourceDetail, host: parsed.hostname, port: parsed.port ? Number(parsed.port) : 22, username: decodeURIComponent(parsed.username) || undefined}
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    if (!parsed.hostname) throw bad()
    const defaultPort = tls?.verify || scheme === 'https' ? 2376 : 2375
    const port = parsed.port ? Number(parsed.port) : defaultPort
    const secure = scheme === 'https' || Boolean(tls?.verify) || port === 2376
    return {url: value, scheme: 'tcp', source, sourceDetail, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, tls: secure ? (tls ?? {verify: false}) : tls}
  }
  throw bad()
}

/** A human description of the address: "unix:///var/run/docker.sock (default socket)". */
export function describeAddress(address: EngineAddress): string {
  return `${address.url} (${address.sourceDetail})`
}

export interface Engine {
  /** A dockerode client, created (and dockerode loaded) on first use; prefer `http` on hot paths. */
  readonly docker: Dockerode
  /** dk's own client, already pinned to `apiVersion`. */
  http: EngineHttp
  address: EngineAddress
  /** API version negotiated with the engine, e.g. "1.41". */
  apiVersion: string
}

const clients = new Map<string, Promise<Engine>>()

export interface ConnectOptions {
  host?: string
  /** Milliseconds to wait for the engine's _ping. */
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
}

/**
 * Connect to the engine: resolve the address, ping it (bounded), and pin the API version to what the
 * engine supports so old engines (Debian's 20.10, API 1.41) work. Memoised per address. Throws
 * EngineUnreachableError (exit 3) naming the address and what to do.
 */
export function connectEngine(options: ConnectOptions = {}): Promise<Engine> {
  const address = resolveEngine({host: options.host, env: options.env})
  const key = address.url
  let pending = clients.get(key)
  if (!pending) {
    pending = connect(address, options.timeoutMs ?? 5000)
    clients.set(key, pending)
    pending.catch(() => clients.delete(key))
  }
  return pending
}

async function connect(address: EngineAddress, timeoutMs: number): Promise<Engine> {
  let http: EngineHttp
  let apiVersion: string | undefined
  try {
    http = await EngineHttp.create(address)
    // Unversioned on purpose: the answer tells which version to pin. /version only when the ping's
    // header is missing: one round trip less on every command.
    apiVersion = (await http.ping(timeoutMs)) ?? (await http.json<{ApiVersion?: string}>({path: '/version', unversioned: true, timeoutMs}))?.ApiVersion
  } catch (error) {
    throw unreachable(address, error)
  }
  apiVersion ??= '1.41'
  http.apiVersion = apiVersion
  let docker: Dockerode | undefined
  return {
    http,
    address,
    apiVersion,
    get docker() {
      // dockerode is CommonJS, so it loads synchronously here and callers need not change.
      docker ??= withoutDockerEnv(() => {
        const Docker = createRequire(import.meta.url)('dockerode') as typeof Dockerode
        return new Docker({...dockerodeOptions(address), version: `v${apiVersion}`})
      })
      return docker
    },
  }
}

/**
 * docker-modem re-reads DOCKER_HOST and DOCKER_CERT_PATH (reading certificate files synchronously)
 * whenever a client is constructed, and its values win over some of ours. dk has already resolved
 * the address, so the client is built with those variables hidden.
 */
function withoutDockerEnv<T>(make: () => T): T {
  const saved: Record<string, string | undefined> = {}
  for (const name of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) {
    saved[name] = process.env[name]
    delete process.env[name]
  }
  try {
    return make()
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value
  }
}

function dockerodeOptions(address: EngineAddress): Dockerode.DockerOptions {
  switch (address.scheme) {
    case 'unix':
    case 'npipe':
      return {socketPath: address.socketPath}
    case 'ssh':
      return {
        protocol: 'ssh',
        host: address.host,
        port: address.port,
        username: address.username,
        sshOptions: {agent: process.env.SSH_AUTH_SOCK},
      } as Dockerode.DockerOptions
    case 'tcp': {
      const tls = address.tls
      if (tls && usesTls(address)) {
        return {protocol: 'https', host: address.host, port: address.port, ca: tls.ca, cert: tls.cert, key: tls.key, ...(tls.verify ? {} : {checkServerIdentity: () => undefined})} as Dockerode.DockerOptions
      }
      return {protocol: 'http', host: address.host, port: address.port}
    }
  }
}

/** Map a failed connection to an actionable message. */
export function unreachable(address: EngineAddress, error: unknown): DkError {
  const code = (error as NodeJS.ErrnoException)?.code
  const where = describeAddress(address)
  const reason =
    code === 'ENOENT'
      ? 'the socket does not exist'
      : code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code === 'EACCES'
          ? 'permission denied on the socket'
          : code === 'ETIMEDOUT' || /timeout/i.test(String((error as Error)?.message))
            ? 'it did not answer in time'
            : code === 'ENOTFOUND'
              ? 'the host name does not resolve'
              : ((error as Error)?.message ?? String(error))
  const hint =
    code === 'EACCES'
      ? 'Add your user to the "docker" group (then log in again), or run dk with sudo.'
      : address.source === 'default'
        ? 'Start Docker (Docker Desktop, or `sudo systemctl start docker`; on this project\'s machines `bash scripts/engine-up.sh`), then run `dk doctor`.'
        : `Check ${address.sourceDetail}: is an engine listening at ${address.url}? Unset it to use the local engine, then run \`dk doctor\`.`
  return new EngineUnreachableError(`Cannot reach the Docker engine at ${where}: ${reason}.`, {
    hint,
    cause: error,
    details: {address: address.url, source: address.source, errno: code},
  })
}
