/**
 * The dynamic half of the report card (`--run`): start the image the way a platform would and
 * watch it. Two replicas get the same random PORT and config value; dk publishes PORT (and every
 * EXPOSEd port, to tell "ignores PORT" from "does not answer") on 127.0.0.1 only, probes them,
 * reads the logs, diffs the file system, stops one replica with a 3 s grace period, and, when
 * the config value does not show in the answer, starts a third replica with another value to see
 * whether the behaviour changes.
 *
 * Everything it starts carries dk's labels plus `io.dk.run=<nonce>` and is removed in `finally`,
 * also when a check throws or the user presses Ctrl-C (the signal aborts the waits).
 */
import {randomBytes, randomInt} from 'node:crypto'
import {Readable, Writable} from 'node:stream'

import type Dockerode from 'dockerode'

import {InterruptedError} from '../cli/errors.js'
import type {Engine} from '../engine/connect.js'
import {createAndStart, publishedPorts, removeContainer, runToCompletion, stopContainer} from '../engine/containers.js'
import {demux} from '../engine/demux.js'
import {apiError} from '../engine/errors.js'
import {Label} from '../engine/labels.js'
import type {ProbeDeclaration} from './declarations.js'
import {httpGet, type ProbeAnswer, tcpExchange} from './probe.js'
import {type Check, fail, notChecked, pass, type RuntimeFacts, warn} from './report.js'

export interface DynamicInput {
  engine: Engine
  /** Image id or reference to run. */
  image: string
  declaration: ProbeDeclaration
  /** Ports the image exposes ("8080/tcp"), from its config. */
  exposed: string[]
  /** Extra labels on every container (tests use io.dk.test). */
  labels?: Record<string, string>
  /** How long the app may take to answer after start. */
  startTimeoutMs?: number
  signal?: AbortSignal
}

/** Paths a stateless container may write to (`docker diff` entries below them are fine). */
export const TEMP_PATHS = ['/tmp', '/var/tmp', '/run', '/var/run', '/dev/shm']
const GRACE_SECONDS = 3
const HARDCODED_PORT_GRACE_MS = 2000

interface Replica {
  id: string
  name: string
  /** When the engine confirmed the start (start-up time is measured from here). */
  startedAt: number
  host: string
  /** Host port that reaches container port $PORT. */
  hostPort?: number
  /** Host ports of the EXPOSEd ports, by container port. */
  exposedHostPorts: Map<string, number>
}

export async function dynamicChecks(input: DynamicInput): Promise<{checks: Check[]; runtime: RuntimeFacts}> {
  const {engine, declaration} = input
  const nonce = randomBytes(4).toString('hex')
  const port = randomInt(20000, 30000)
  const value = String(randomInt(2000, 10000))
  const started: string[] = []
  const checks: Check[] = []
  const runtime: RuntimeFacts = {image: input.image, built: false, protocol: declaration.protocol, port}
  const labels = {...input.labels, [Label.run]: nonce}
  const configEnv = declaration.configVar ? [`${declaration.configVar}=${value}`] : []
  const probe = (replica: Replica, hostPort: number, path = declaration.probePath) =>
    declaration.protocol === 'http' ? httpGet(replica.host, hostPort, path) : tcpExchange(replica.host, hostPort, declaration.tcpSend)

  const start = async (suffix: string, env: string[]): Promise<Replica> => {
    checkAborted(input.signal)
    const exposedPorts = new Set([`${port}/tcp`, ...input.exposed.filter((p) => p.endsWith('/tcp')).slice(0, 5)])
    const {id, name} = await createAndStart(engine, {
      image: input.image,
      name: `dk-12f-${nonce}-${suffix}`,
      env: [`PORT=${port}`, ...env],
      ports: [...exposedPorts].map((p) => ({containerPort: Number(p.split('/')[0]), protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: ''})),
      labels,
      detach: true,
    })
    started.push(id)
    const startedAt = Date.now()
    const published = await publishedPorts(engine, id)
    const exposedHostPorts = new Map<string, number>()
    for (const p of published) if (p.containerPort !== `${port}/tcp`) exposedHostPorts.set(p.containerPort, p.hostPort)
    return {id, name, startedAt, host: '127.0.0.1', hostPort: published.find((p) => p.containerPort === probed)?.hostPort, exposedHostPorts}
  }
  /** The container port dk talks to: $PORT, or the EXPOSEd port of an app that ignores $PORT. */
  let probed = `${port}/tcp`
  let admin: Promise<Check> | undefined

  try {
    // Two replicas side by side, as `deis scale web=2` would run them.
    const t0 = Date.now()
    const [a, b] = await Promise.all([start('a', configEnv), start('b', configEnv)])
    const first = await waitForAnswer(engine, a, (r) => probe(r, r.hostPort!), input.startTimeoutMs ?? 15_000, input.signal, () => answersOnExposed(a, probe))
    if (!first.answer.ok) {
      const ignoredPort = await answersOnExposed(a, probe)
      const logs = await readLogs(engine, a.id)
      const exited = first.exited
      checks.push(
        fail('VII', 'answers-on-port', `The app did not answer ${declaration.protocol.toUpperCase()} on PORT=${port}`, [
          `${declaration.protocol === 'http' ? `GET ${declaration.probePath}` : 'TCP'} on 127.0.0.1:${a.hostPort} (container port ${port}): ${first.answer.error ?? `HTTP ${first.answer.status}`}`,
          ...(exited ? [`the container exited with code ${exited.exitCode}`] : []),
          ...(ignoredPort ? [`it answers on its EXPOSEd port ${ignoredPort}: it ignores $PORT (the other checks used that port)`] : []),
          ...tail(logs.stdout + logs.stderr, 5).map((l) => `log: ${l}`),
        ], ignoredPort ? `Listen on the port given in $PORT (the platform chooses it); EXPOSE is only the default.` : 'Make the app listen on 0.0.0.0:$PORT and check `dk logs` for why it did not.', {kind: 'dynamic'}),
      )
      if (!ignoredPort) {
        for (const factor of ['III', 'VI', 'VIII', 'IX', 'XI'] as const) checks.push(notChecked(factor, 'runtime', 'Not checked: the app did not answer', {kind: 'dynamic'}))
        return {checks, runtime}
      }
      // The app works, on the wrong port: examine it there, so the rest of the card still has evidence.
      probed = ignoredPort
      for (const r of [a, b]) r.hostPort = r.exposedHostPorts.get(ignoredPort)
    } else {
      checks.push(pass('VII', 'answers-on-port', `The app answers ${declaration.protocol.toUpperCase()} on PORT=${port}`, [describeAnswer(declaration, first.answer)], {kind: 'dynamic'}))
    }
    runtime.startupMs = Date.now() - a.startedAt
    checks.push(
      runtime.startupMs <= 10_000
        ? pass('IX', 'fast-startup', `Answered ${runtime.startupMs} ms after start`, [`from the engine's start to the first answer: ${runtime.startupMs} ms (create and start of both replicas: ${a.startedAt - t0} ms)`], {kind: 'dynamic'})
        : warn('IX', 'fast-startup', `Slow start-up: ${runtime.startupMs} ms`, [`from the engine's start to the first answer: ${runtime.startupMs} ms`], 'Start fast (seconds): defer warm-up work, so the platform can scale and replace processes quickly.', {kind: 'dynamic'}),
    )

    // VIII: the second replica answers like the first.
    const second = await waitForAnswer(engine, b, (r) => probe(r, r.hostPort!), input.startTimeoutMs ?? 15_000, input.signal)
    const again = await probe(a, a.hostPort!)
    const same = second.answer.ok && normalise(second.answer, b) === normalise(again, a)
    checks.push(
      same
        ? pass('VIII', 'replicas-alike', 'Two replicas answer alike', [`replica a: ${describeAnswer(declaration, again)}`, `replica b: ${describeAnswer(declaration, second.answer)}`], {kind: 'dynamic'})
        : fail('VIII', 'replicas-alike', 'Two replicas with the same config answer differently', [`replica a: ${describeAnswer(declaration, again)}`, `replica b: ${second.answer.ok ? describeAnswer(declaration, second.answer) : second.answer.error}`], 'Keep no per-process state that changes answers; share state through a backing service.', {kind: 'dynamic'}),
    )

    // III: the config value shows, or at least changes the answer.
    checks.push(await configCheck(input, value, again, async (other) => {
      const c = await start('c', declaration.configVar ? [`${declaration.configVar}=${other}`] : [])
      return (await waitForAnswer(engine, c, (r) => probe(r, r.hostPort!), input.startTimeoutMs ?? 15_000, input.signal)).answer
    }))

    // XII: a one-off process runs in the same image with the same config, and ends. It is its own
    // container, so it runs while replica a is examined.
    checkAborted(input.signal)
    admin = adminCheck(input, [`PORT=${port}`, ...configEnv], labels)
    admin.catch(() => undefined)

    // XI: a request with a unique marker must show up in the container's log stream.
    checks.push(await logCheck(engine, a, declaration, nonce, probe, input.signal))

    // VI: after the requests, nothing written outside temp paths.
    const changes = await diff(engine, a.id)
    checks.push(...statelessChecks(changes))
    checks.push(await admin)

    // IX: graceful stop within the grace period.
    checkAborted(input.signal)
    const stopStarted = Date.now()
    await stopContainer(engine, a.id, GRACE_SECONDS)
    runtime.stopMs = Date.now() - stopStarted
    const state = (await engine.docker.getContainer(a.id).inspect()).State
    runtime.exitCode = state.ExitCode
    checks.push(stopCheck(runtime.stopMs, state.ExitCode))
    return {checks, runtime}
  } finally {
    await Promise.all(started.map((id) => removeContainer(engine, id, {force: true, volumes: true}).catch(() => undefined)))
    // The one-off container removes itself when it ends (at most ONE_OFF_TIMEOUT_MS): wait for that,
    // so an interrupted run does not exit while it still exists.
    await admin?.catch(() => undefined)
  }
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new InterruptedError('Interrupted; the containers dk started were removed.')
}

/** A pause that ends early on abort, without leaving a listener behind on the signal. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })

/** Probe until it answers, the container exits, or the time is up. */
/**
 * Probe until it answers, the container exits, or the time is up. With `elsewhere` (a probe of the
 * EXPOSEd ports), an app that already answers there but not on $PORT is given up on after
 * `HARDCODED_PORT_GRACE_MS` rather than the whole timeout: it ignores $PORT and will not change its mind.
 */
async function waitForAnswer(
  engine: Engine,
  replica: Replica,
  probe: (r: Replica) => Promise<ProbeAnswer>,
  timeoutMs: number,
  signal?: AbortSignal,
  elsewhere?: () => Promise<string | undefined>,
): Promise<{answer: ProbeAnswer; ms: number; exited?: {exitCode: number}}> {
  const started = Date.now()
  let answer: ProbeAnswer = {ok: false, body: '', error: 'not probed', ms: 0}
  for (let attempt = 0; Date.now() - started < timeoutMs; attempt++) {
    checkAborted(signal)
    if (replica.hostPort === undefined) break
    answer = await probe(replica)
    if (answer.ok) return {answer, ms: Date.now() - started}
    if (attempt % 5 === 4) {
      const state = (await engine.docker.getContainer(replica.id).inspect()).State
      if (!state.Running) return {answer, ms: Date.now() - started, exited: {exitCode: state.ExitCode}}
      if (elsewhere && Date.now() - started >= HARDCODED_PORT_GRACE_MS && (await elsewhere())) return {answer, ms: Date.now() - started}
    }
    await sleep(Math.min(50 * 2 ** Math.min(attempt, 3), 400), signal)
  }
  return {answer, ms: Date.now() - started}
}

async function answersOnExposed(replica: Replica, probe: (r: Replica, port: number) => Promise<ProbeAnswer>): Promise<string | undefined> {
  for (const [containerPort, hostPort] of replica.exposedHostPorts) if ((await probe(replica, hostPort)).ok) return containerPort
  return undefined
}

function describeAnswer(declaration: ProbeDeclaration, answer: ProbeAnswer): string {
  const body = JSON.stringify(answer.body.trim().replace(/\s+/g, ' ').slice(0, 100))
  return declaration.protocol === 'http' ? `GET ${declaration.probePath} → HTTP ${answer.status}, ${answer.body.length} bytes: ${body}` : `TCP answer, ${answer.body.length} bytes: ${body}`
}

/** Compare answers without what legitimately differs between replicas: their host names (container ids). */
function normalise(answer: ProbeAnswer, replica: Replica): string {
  return `${answer.status ?? ''}\n${answer.body.replaceAll(replica.id.slice(0, 12), '<host>')}`
}

async function configCheck(input: DynamicInput, value: string, answer: ProbeAnswer, startOther: (other: string) => Promise<ProbeAnswer>): Promise<Check> {
  const {configVar, probePath, protocol} = input.declaration
  if (!configVar)
    return notChecked('III', 'config-from-env', 'Not checked: which variable holds the config is not declared', {
      kind: 'dynamic',
      fix: 'Declare it: `LABEL io.dk.twelve-factor.config-var="NAME"` in the Dockerfile, or --config-var NAME.',
    })
  const where = protocol === 'http' ? `at ${probePath}` : 'in the TCP answer'
  if (new RegExp(`\\b${value}\\b`).test(answer.body)) return pass('III', 'config-from-env', `The config value from ${configVar} shows ${where}`, [`${configVar}=${value} → the answer contains "${value}"`], {kind: 'dynamic'})
  let other = String(randomInt(2000, 10000))
  if (other === value) other = String(Number(value) + 1)
  const otherAnswer = await startOther(other)
  if (otherAnswer.ok && otherAnswer.body !== answer.body)
    return pass('III', 'config-from-env', `Changing ${configVar} changes the answer ${where}`, [`${configVar}=${value} and ${configVar}=${other} gave different answers`], {kind: 'dynamic'})
  return fail('III', 'config-from-env', `${configVar} does not change the app: its config is baked in`, [
    `${configVar}=${value}: ${JSON.stringify(answer.body.trim().slice(0, 100))}`,
    `${configVar}=${other}: ${otherAnswer.ok ? JSON.stringify(otherAnswer.body.trim().slice(0, 100)) : otherAnswer.error}`,
  ], `Read ${configVar} from the environment at start-up (not from a file in the image), and show it ${where} or let it change the behaviour.`, {kind: 'dynamic'})
}

async function readLogs(engine: Engine, id: string): Promise<{stdout: string; stderr: string}> {
  const raw = (await engine.docker.getContainer(id).logs({stdout: true, stderr: true, follow: false, tail: 500})) as unknown as Buffer
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const sink = (into: Buffer[]) => new Writable({write(chunk: Buffer, _e, done) { into.push(chunk); done() }})
  await demux(Readable.from([raw]), sink(stdout), sink(stderr))
  return {stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8')}
}

function tail(text: string, lines: number): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-lines)
}

async function logCheck(engine: Engine, replica: Replica, declaration: ProbeDeclaration, nonce: string, probe: (r: Replica, port: number, path?: string) => Promise<ProbeAnswer>, signal?: AbortSignal): Promise<Check> {
  const before = await readLogs(engine, replica.id)
  const marker = `dk-log-probe-${nonce}`
  await probe(replica, replica.hostPort!, `/${marker}`)
  let after = before
  for (let i = 0; i < 10; i++) {
    await sleep(150, signal)
    after = await readLogs(engine, replica.id)
    if (declaration.protocol === 'http' ? (after.stdout + after.stderr).includes(marker) : after.stdout.length + after.stderr.length > before.stdout.length + before.stderr.length) break
  }
  const grewOut = after.stdout.length > before.stdout.length
  const grewErr = after.stderr.length > before.stderr.length
  const found = declaration.protocol === 'http' ? (after.stdout.includes(marker) ? 'stdout' : after.stderr.includes(marker) ? 'stderr' : undefined) : grewOut ? 'stdout' : grewErr ? 'stderr' : undefined
  const evidence = [`request: ${declaration.protocol === 'http' ? `GET /${marker}` : 'one TCP exchange'}`, ...tail(after.stdout + after.stderr, 2).map((l) => `log: ${l}`)]
  if (found === 'stdout') return pass('XI', 'request-logs', 'Requests appear in the log stream (stdout)', evidence, {kind: 'dynamic'})
  if (found === 'stderr') return pass('XI', 'request-logs', 'Requests appear in the log stream (stderr)', evidence, {kind: 'dynamic'})
  if (grewOut || grewErr) return warn('XI', 'request-logs', 'The app logged something, but not the request', evidence, 'Log one line per request to stdout.', {kind: 'dynamic'})
  return fail('XI', 'request-logs', 'Requests do not appear in the log stream', [...evidence.slice(0, 1), `container logs: ${after.stdout.length + after.stderr.length} bytes, nothing new after the request`], 'Write the access log to stdout (or stderr), not to a file: the platform collects the stream (`dk logs`).', {kind: 'dynamic'})
}

export interface Change {
  path: string
  kind: 'C' | 'A' | 'D'
}

async function diff(engine: Engine, id: string): Promise<Change[]> {
  let raw: Array<{Path: string; Kind: number}> | null
  try {
    const answer: unknown = await engine.docker.getContainer(id).changes()
    // With no changes the engine answers `null`, which dockerode hands over as an unparsed Buffer.
    raw = (Buffer.isBuffer(answer) ? JSON.parse(answer.toString('utf8') || 'null') : answer) as Array<{Path: string; Kind: number}> | null
  } catch (error) {
    throw apiError(error, {action: `read the changes of container ${id.slice(0, 12)}`, address: engine.address})
  }
  return (raw ?? []).map((c) => ({path: c.Path, kind: (['C', 'A', 'D'] as const)[c.Kind] ?? 'C'}))
}

/**
 * The writes that matter: `docker diff` also lists every parent folder of a new file as changed,
 * so a "C" entry that is only the ancestor of other entries is dropped, then temp paths are.
 */
export function writesOutsideTemp(changes: Change[]): Change[] {
  const paths = changes.map((c) => c.path)
  return changes.filter((c) => {
    if (c.kind === 'C' && paths.some((p) => p.startsWith(`${c.path === '/' ? '' : c.path}/`))) return false
    return !TEMP_PATHS.some((t) => c.path === t || c.path.startsWith(`${t}/`))
  })
}

export function statelessChecks(changes: Change[]): Check[] {
  const writes = writesOutsideTemp(changes)
  const checks: Check[] = []
  const lines = writes.slice(0, 10).map((c) => `${c.kind} ${c.path}`)
  checks.push(
    writes.length === 0
      ? pass('VI', 'stateless', 'No writes outside temp paths after the requests', [`docker diff: ${changes.length} change(s), all below ${TEMP_PATHS.join(', ')}`], {kind: 'dynamic'})
      : fail('VI', 'stateless', `The container wrote ${writes.length} path(s) into its file system`, lines, 'Keep state in a backing service (database, cache, object store); a replaced or scaled process loses these files.', {kind: 'dynamic'}),
  )
  const logFiles = writes.filter((c) => c.kind !== 'D' && /\.log(\.\d+)?$|\/logs?\//.test(c.path))
  if (logFiles.length > 0)
    checks.push(fail('XI', 'no-log-files', 'The app writes log files', logFiles.slice(0, 10).map((c) => `${c.kind} ${c.path}`), 'Send logs to stdout instead of files: `ln -sf /dev/stdout <file>` in the Dockerfile if the program insists on a file.', {kind: 'dynamic'}))
  return checks
}

export function stopCheck(stopMs: number, exitCode: number): Check {
  const evidence = [`dk stop (SIGTERM, ${GRACE_SECONDS} s grace) took ${stopMs} ms; exit code ${exitCode}`]
  if (exitCode === 137 || stopMs >= GRACE_SECONDS * 1000)
    return fail('IX', 'graceful-stop', 'SIGTERM was ignored: the container had to be killed', [...evidence, exitCode === 137 ? 'exit code 137 = SIGKILL after the grace period' : ''].filter(Boolean), 'Handle SIGTERM (finish or drop in-flight work, then exit), and make sure it reaches the app: exec-form CMD, `exec` in start scripts, or a trap in a shell wrapper.', {kind: 'dynamic'})
  if (exitCode === 0 || exitCode === 143) return pass('IX', 'graceful-stop', `Stopped gracefully in ${stopMs} ms`, evidence, {kind: 'dynamic'})
  return warn('IX', 'graceful-stop', `Stopped in ${stopMs} ms but exited with code ${exitCode}`, evidence, 'Exit 0 after a SIGTERM: a non-zero code looks like a crash to the platform.', {kind: 'dynamic'})
}

const ONE_OFF_TIMEOUT_MS = 10_000

/**
 * `deis run` / `heroku run`: an admin task is a one-off container of the release's image, with its
 * config. dk runs `env` that way (harmless, present in busybox and Debian images): it must end
 * on its own and see the config. An ENTRYPOINT that ignores its arguments starts the server
 * instead and never ends, which makes one-off tasks impossible.
 */
async function adminCheck(input: DynamicInput, env: string[], labels: Record<string, string>): Promise<Check> {
  const started = Date.now()
  const result = await runToCompletion(input.engine, {image: input.image, cmd: ['env'], env, labels}, {timeoutMs: ONE_OFF_TIMEOUT_MS}).catch((error: Error) => ({exitCode: -1, stdout: '', stderr: error.message}))
  const ms = Date.now() - started
  const evidence = [`one-off \`env\` in the image: exit code ${result.exitCode} after ${ms} ms`]
  if (result.exitCode === 137 && ms >= ONE_OFF_TIMEOUT_MS)
    return fail('XII', 'one-off', 'A one-off command does not end: the image always starts its server', [...evidence, 'killed after 10 s'], 'Let the ENTRYPOINT run the command it is given (`exec "$@"`), so admin tasks run as one-off processes of the same image.', {kind: 'dynamic'})
  if (result.exitCode === 0) {
    const sees = env.every((kv) => result.stdout.split('\n').includes(kv))
    return sees
      ? pass('XII', 'one-off', 'One-off processes run in the same image with the same config', [...evidence, `it saw ${env.map((kv) => kv.split('=')[0]).join(', ')}`], {kind: 'dynamic'})
      : warn('XII', 'one-off', 'A one-off process ran but did not see the config', evidence, 'Do not reset the environment in the ENTRYPOINT: admin tasks need the same config as the app.', {kind: 'dynamic'})
  }
  return warn('XII', 'one-off', `The one-off command \`env\` failed (exit ${result.exitCode})`, [...evidence, ...tail(result.stderr, 2)], 'Make sure admin commands can run in the image (`dk run --rm IMAGE <command>`); an image without `env` (distroless) cannot be checked this way.', {kind: 'dynamic', bestEffort: true})
}
