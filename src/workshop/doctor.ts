/**
 * `dk doctor`: is this machine ready for the workshop? Each check says ok / warn / fail / skip,
 * with the evidence and, for anything not ok, the fix. The engine not answering is not a check
 * result but an EngineUnreachableError (exit 3): nothing else can be checked then.
 */
import {statfsSync} from 'node:fs'
import {connect as netConnect} from 'node:net'

import type {Engine} from '../engine/connect.js'
import {Label, dkLabels} from '../engine/labels.js'
import {BASE_IMAGES, imageState} from './setup.js'

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'

export interface DoctorCheck {
  id: string
  title: string
  status: CheckStatus
  detail: string
  fix?: string
}

export interface DoctorReport {
  engine: {address: string; source: string; version?: string; apiVersion: string; os?: string; storageDriver?: string; rootDir?: string}
  checks: DoctorCheck[]
  /** True when nothing failed: everything the workshop needs is there. */
  ready: boolean
}

/** Oldest engine API dk supports (Docker 17.06): links, classic builder and labels filters all work. */
const MIN_API = '1.30'

export async function runDoctor(engine: Engine, options: {probePorts?: boolean} = {}): Promise<DoctorReport> {
  const checks: DoctorCheck[] = []
  const docker = engine.docker
  const [version, info] = await Promise.all([docker.version(), docker.info()])

  checks.push({
    id: 'engine',
    title: 'Docker engine reachable',
    status: 'ok',
    detail: `${engine.address.url} (${engine.address.sourceDetail})`,
  })

  const apiOk = compareVersions(engine.apiVersion, MIN_API) >= 0
  checks.push({
    id: 'api-version',
    title: 'Engine and API version',
    status: apiOk ? 'ok' : 'fail',
    detail: `Docker ${version.Version} (API ${engine.apiVersion}, ${version.Os}/${version.Arch})`,
    fix: apiOk ? undefined : `dk needs API ${MIN_API} or newer: upgrade Docker.`,
  })

  const driver = String(info.Driver ?? '')
  const driverOk = ['overlay2', 'overlay', 'btrfs', 'zfs', 'fuse-overlayfs', 'overlayfs'].includes(driver)
  checks.push({
    id: 'storage-driver',
    title: 'Storage driver',
    status: driverOk ? 'ok' : 'warn',
    detail: driver || 'unknown',
    fix: driverOk ? undefined : `${driver} works but is slow and uses much more disk; overlay2 is Docker's default on Linux.`,
  })

  checks.push(await classicBuilderCheck(engine))
  checks.push(diskCheck(engine, String(info.DockerRootDir ?? '')))

  for (const base of BASE_IMAGES) {
    const state = await imageState(engine, base.ref)
    checks.push({
      id: `image-${base.kind}`,
      title: `Base image ${base.ref}`,
      status: state.exists ? 'ok' : 'fail',
      detail: state.exists
        ? `${state.id?.slice(7, 19)} (${state.madeByDk ? 'made by dk setup' : 'from a registry or another source'})`
        : `missing; needed for ${base.purpose}`,
      fix: state.exists ? undefined : base.optIn ? 'Run `dk setup --debian` (about a minute; needs root and Debian\'s mirror).' : 'Run `dk setup`.',
    })
  }

  if (options.probePorts !== false) checks.push(await portProbeCheck(engine))

  return {
    engine: {
      address: engine.address.url,
      source: engine.address.sourceDetail,
      version: version.Version,
      apiVersion: engine.apiVersion,
      os: `${version.Os}/${version.Arch}`,
      storageDriver: driver || undefined,
      rootDir: info.DockerRootDir,
    },
    checks,
    ready: checks.every((c) => c.status !== 'fail'),
  }
}

/** The classic builder is what dk drives: build a config-only image FROM scratch and remove it. */
async function classicBuilderCheck(engine: Engine): Promise<DoctorCheck> {
  const title = 'Classic builder (POST /build, version 1)'
  const {pack} = await import('tar-stream')
  const tar = pack()
  tar.entry({name: 'Dockerfile'}, `FROM scratch\nLABEL ${Label.managed}=true io.dk.doctor=true\n`)
  tar.finalize()
  try {
    const stream = await engine.docker.buildImage(tar as unknown as NodeJS.ReadableStream, {version: '1', rm: true, forcerm: true, labels: dkLabels({'io.dk.doctor': 'true'})} as object)
    let id: string | undefined
    let failure: string | undefined
    let rest = ''
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      rest += chunk.toString('utf8')
      const lines = rest.split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.trim()) continue
        const event = JSON.parse(line) as {aux?: {ID?: string}; error?: string}
        if (event.aux?.ID) id = event.aux.ID
        if (event.error) failure = event.error
      }
    }
    if (id) await engine.docker.getImage(id).remove({force: true}).catch(() => undefined)
    if (failure) return {id: 'builder', title, status: 'fail', detail: failure, fix: 'dk builds with the classic builder; check the engine log.'}
    return {id: 'builder', title, status: 'ok', detail: 'a FROM scratch build succeeded'}
  } catch (error) {
    return {id: 'builder', title, status: 'fail', detail: (error as Error).message, fix: 'The engine refused a classic build; Docker 25+ still supports it. Check the engine log.'}
  }
}

function diskCheck(engine: Engine, rootDir: string): DoctorCheck {
  const title = 'Free disk under the engine\'s root'
  if (engine.address.scheme !== 'unix' || !rootDir) return {id: 'disk', title, status: 'skip', detail: 'the engine is not on this machine; not checked'}
  try {
    const fs = statfsSync(rootDir)
    const free = fs.bavail * fs.bsize
    const gb = free / 1e9
    const detail = `${gb.toFixed(1)} GB free in ${rootDir}`
    if (gb < 1) return {id: 'disk', title, status: 'fail', detail, fix: 'The workshop needs about 1 GB: remove old images (`dk images`, `dk rmi`) or free disk space.'}
    if (gb < 5) return {id: 'disk', title, status: 'warn', detail, fix: 'Under 5 GB: builds of the Debian exercises may run out of space.'}
    return {id: 'disk', title, status: 'ok', detail}
  } catch {
    // Docker Desktop keeps its root inside a VM: not visible from the host.
    return {id: 'disk', title, status: 'skip', detail: `${rootDir} is not visible from this machine (engine in a VM?)`}
  }
}

/** Start busybox httpd with a random published port, and talk HTTP to it on 127.0.0.1. */
async function portProbeCheck(engine: Engine): Promise<DoctorCheck> {
  const title = 'Published ports reachable on 127.0.0.1'
  const base = await imageState(engine, 'busybox:latest')
  if (!base.exists) return {id: 'ports', title, status: 'skip', detail: 'needs busybox:latest', fix: 'Run `dk setup`, then `dk doctor` again.'}
  const docker = engine.docker
  let container: Awaited<ReturnType<typeof docker.createContainer>> | undefined
  try {
    container = await docker.createContainer({
      Image: 'busybox:latest',
      Cmd: ['sh', '-c', 'mkdir -p /www && echo dk-doctor > /www/index.html && exec httpd -f -p 8080 -h /www'],
      ExposedPorts: {'8080/tcp': {}},
      Labels: dkLabels({'io.dk.doctor': 'true'}),
      HostConfig: {PortBindings: {'8080/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]}, AutoRemove: false},
    })
    await container.start()
    const info = await container.inspect()
    const port = Number(info.NetworkSettings.Ports?.['8080/tcp']?.[0]?.HostPort)
    if (!port) return {id: 'ports', title, status: 'fail', detail: 'the engine published no port', fix: 'Check the engine\'s networking (iptables, userland proxy).'}
    const body = await httpGetWithRetry(port)
    if (body.includes('dk-doctor')) return {id: 'ports', title, status: 'ok', detail: `HTTP on 127.0.0.1:${port} answered`}
    return {id: 'ports', title, status: 'fail', detail: `127.0.0.1:${port} answered something else`, fix: 'Another program may hold the port; check the engine\'s networking.'}
  } catch (error) {
    return {
      id: 'ports',
      title,
      status: 'fail',
      detail: (error as Error).message,
      fix: 'Published ports do not reach this machine: with Docker in a VM, check its port forwarding; on Linux, check that dockerd manages iptables.',
    }
  } finally {
    await container?.remove({force: true}).catch(() => undefined)
  }
}

async function httpGetWithRetry(port: number): Promise<string> {
  let lastError: unknown
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await httpGet(port)
    } catch (error) {
      lastError = error
      await new Promise((r) => setTimeout(r, 150))
    }
  }
  throw lastError
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({host: '127.0.0.1', port})
    let data = ''
    socket.setTimeout(2000, () => socket.destroy(new Error('timed out')))
    socket.on('connect', () => socket.write('GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'))
    socket.on('data', (b) => (data += b.toString('utf8')))
    socket.on('end', () => (data ? resolve(data) : reject(new Error('connection closed without an answer'))))
    socket.on('error', reject)
  })
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
