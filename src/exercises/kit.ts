/**
 * The exercise kit: what `exercises/NN-slug/checks.ts` is written against.
 *
 *   import {defineExercise, pass, fail, envProblem} from '../../src/exercises/kit.js'
 *   export default defineExercise({checks: [{id, title, dependsOn?, hint?, run: async (ctx) => pass()}], solve, actions, fast})
 *
 * A check reads structure from the Engine API and proves behaviour (run the image with a fresh
 * `ctx.nonce()`, probe a published port on 127.0.0.1). Everything the context creates carries dk's
 * labels; objects made without an explicit name/tag also carry `io.dk.run=<runId>` and are removed
 * by `cleanupRun` after the checks, whatever happened. Objects the task names (`workshop/motd:1`,
 * `dk-hello`) made by `solve`/actions carry `io.dk.exercise` so `dk exercise reset` can find them.
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {access, readFile} from 'node:fs/promises'
import {request} from 'node:http'
import {connect as tcpConnect} from 'node:net'
import {isAbsolute, join, relative, resolve} from 'node:path'

import {DkError, NotFoundError, WorkFailedError, fileError} from '../cli/errors.js'
import {connectEngine, type Engine} from '../engine/connect.js'
import {apiError} from '../engine/errors.js'
import {Label, OwnLabel, dkLabels} from '../engine/labels.js'
import type {Instruction} from '../dockerfile/syntax.js'
import type {RunSpec} from '../engine/run-spec.js'
import {clip, containerLogs} from './docker-ops.js'
import type {
  BuildOptions,
  BuildOutcome,
  Check,
  CheckOutcome,
  ContainerInfo,
  ContextSummary,
  DockerfileInstruction,
  ExerciseContext,
  ExerciseDefinition,
  HttpResponse,
  ImageInfo,
  LintFinding,
  ProcessResult,
  RunOptions,
  StartedContainer,
} from './model.js'

export type {
  BuildOptions,
  BuildOutcome,
  Check,
  CheckOutcome,
  ContainerInfo,
  DockerfileInstruction,
  ExerciseContext,
  ExerciseDefinition,
  HttpResponse,
  ImageInfo,
  LintFinding,
  ProcessResult,
  RunOptions,
  ScaffoldContext,
  StartedContainer,
} from './model.js'

/** Identity function that gives checks.ts files their types. */
export function defineExercise(def: ExerciseDefinition): ExerciseDefinition {
  return def
}

/**
 * The check most exercises start with: dk builds the attendee's folder under its own throw-away
 * tag, through `dk build`'s pipeline (lint, local base images, Docker-exact context). `remember`
 * keeps what later checks need; an error becomes the check's reason through the runner.
 */
export function buildCheck(options: {
  title?: string
  dependsOn?: string[]
  hint?: 1 | 2 | 3
  remember: (ctx: ExerciseContext, result: BuildOutcome) => void | Promise<void>
}): Check {
  return {
    id: 'build',
    title: options.title ?? 'The Dockerfile builds',
    dependsOn: options.dependsOn,
    hint: options.hint ?? 3,
    async run(ctx) {
      const result = await ctx.build('.')
      await options.remember(ctx, result)
      return pass({image: result.id})
    },
  }
}

export function pass(evidence?: Record<string, unknown>): CheckOutcome {
  return evidence ? {status: 'pass', evidence} : {status: 'pass'}
}

/** The attendee's work is not right yet; say what dk saw and what was expected. */
export function fail(reason: string): CheckOutcome {
  return {status: 'fail', reason}
}

/** The machine is not ready (image missing, port taken): not the attendee's fault. */
export function envProblem(reason: string): CheckOutcome {
  return {status: 'env', reason}
}

/** Quote output for a failure reason: one line, clipped. */
export {clip}

/** A random lower-case value, safe in tags, names, shell words and HTTP paths. */
export function randomId(bytes = 6): string {
  return randomBytes(bytes).toString('hex')
}

/** Throw-away tag for dk's own builds of the attendee's files. */
export function verifyTag(exerciseId: number, runId: string): string {
  return `dk-verify/${String(exerciseId).padStart(2, '0')}:${runId}`
}

export interface ContextOptions {
  exercise: {id: number; slug: string; title: string}
  dir: string
  workshopDir: string
  token: string
  /** Engine address (--host); default resolution otherwise. */
  host?: string
  runId?: string
}

export interface ExerciseRun {
  ctx: ExerciseContext
  /** Run registered cleanups, then remove every object labelled with this run. Never throws. */
  cleanup(): Promise<string[]>
}

/** Make the context one verify / solve / action run works with. */
export function createExerciseContext(options: ContextOptions): ExerciseRun {
  const runId = options.runId ?? randomId()
  const cleanups: Array<() => Promise<unknown> | unknown> = []
  const dir = resolve(options.dir)
  let enginePromise: Promise<Engine> | undefined
  const engine = () => (enginePromise ??= connectEngine({host: options.host}))

  const labels = (extra: Record<string, string> = {}, opts: {keep?: boolean} = {}) =>
    dkLabels({
      [Label.workshop]: resolve(options.workshopDir),
      [Label.exercise]: String(options.exercise.id),
      ...(opts.keep ? {} : {[Label.run]: runId}),
      ...extra,
    })

  const inside = (relPath: string) => {
    const full = resolve(dir, relPath)
    const rel = relative(dir, full)
    if (rel.startsWith('..') || isAbsolute(rel)) throw new DkError(`Path ${relPath} is outside the exercise folder.`)
    return full
  }

  const getContainer = async (nameOrId: string) => {
    const e = await engine()
    return e.docker.getContainer(nameOrId)
  }

  const inspectContainer = async (nameOrId: string): Promise<ContainerInfo> => {
    const e = await engine()
    try {
      return (await e.docker.getContainer(nameOrId).inspect()) as unknown as ContainerInfo
    } catch (error) {
      throw apiError(error, {action: `inspect container ${nameOrId}`, subject: `container ${nameOrId}`, address: e.address})
    }
  }

  const inspectImage = async (ref: string): Promise<ImageInfo> => {
    const e = await engine()
    try {
      return (await e.docker.getImage(ref).inspect()) as unknown as ImageInfo
    } catch (error) {
      throw apiError(error, {action: `inspect image ${ref}`, subject: `image ${ref}`, address: e.address})
    }
  }

  async function run(image: string, opts: RunOptions & {detach: true}): Promise<StartedContainer>
  async function run(image: string, opts?: RunOptions): Promise<ProcessResult>
  async function run(image: string, opts: RunOptions = {}): Promise<ProcessResult | StartedContainer> {
    const e = await engine()
    const keep = opts.keep ?? Boolean(opts.name)
    const name = opts.name ?? `dk-verify-${String(options.exercise.id).padStart(2, '0')}-${randomId(4)}`
    for (const volume of opts.volumes ?? []) await ensureNamedVolume(e, volume, labels({}, {keep}))
    // The same path as `dk run`: RunSpec → src/engine/containers.ts (preflight, create, start).
    const [{createAndStart, runToCompletion, parsePortSpec}, {parseLink, parseVolume}] = await Promise.all([import('../engine/containers.js'), import('../engine/run-spec.js')])
    const entry = opts.entrypoint
    const env = Array.isArray(opts.env) ? opts.env : Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)
    const spec: RunSpec = {
      image,
      name,
      // Docker's --entrypoint is one word; the rest of an exec-form entrypoint leads the command.
      entrypoint: entry === undefined ? undefined : (entry[0] ?? ''),
      cmd: entry && entry.length > 1 ? [...entry.slice(1), ...(opts.cmd ?? [])] : opts.cmd,
      env: env.length ? env : undefined,
      ports: (opts.ports ?? []).flatMap((p) => parsePortSpec(p)),
      publishAll: opts.publishAll,
      links: opts.links?.map((l) => parseLink(l)),
      volumes: opts.volumes?.map((v) => parseVolume(v)),
      user: opts.user,
      workdir: opts.workingDir,
      init: opts.init,
      network: opts.network,
      labels: labels({[OwnLabel.container]: name}, {keep}),
      sigProxy: false,
    }
    if (opts.detach) {
      const started = await createAndStart(e, spec)
      if (!keep) cleanups.push(() => e.docker.getContainer(started.id).remove({force: true, v: true}))
      return {id: started.id, name: started.name}
    }
    const timeoutMs = opts.timeoutMs ?? 30_000
    const t0 = Date.now()
    // A finished throw-away container has told what it had to tell (docker run --rm).
    const result = await runToCompletion(e, spec, {timeoutMs, keep})
    if (result.exitCode === 137 && Date.now() - t0 >= timeoutMs) {
      if (keep) await e.docker.getContainer(name).kill().catch(() => undefined)
      throw new WorkFailedError(`The container did not exit within ${Math.round(timeoutMs / 1000)} s (dk stopped it). Output so far: ${clip(result.stdout + result.stderr)}`, {code: 'RUN_TIMEOUT'})
    }
    return result
  }

  const ctx: ExerciseContext = {
    exercise: options.exercise,
    dir,
    workshopDir: resolve(options.workshopDir),
    token: options.token,
    runId,
    nonce: () => randomId(),
    engine,
    labels,

    async lint(file) {
      const {lintText, publicFinding} = await import('../dockerfile/lint.js')
      const result = await lintText(await ctx.readFile(file), {file})
      return result.findings.map(publicFinding)
    },

    async dockerfile(file) {
      return parseInstructions(await ctx.readFile(file))
    },

    async context(contextDir, opts = {}) {
      // dk context's own planner: Docker-exact .dockerignore rules, symlinks never followed.
      const root = inside(contextDir)
      const {planContext} = await import('../context/index.js')
      const {contextEntries} = await import('../context/report.js')
      const plan = await planContext(root, {cwd: root, dockerfile: opts.dockerfile})
      const files: string[] = []
      let bytes = 0
      for (const entry of contextEntries(plan)) {
        if (entry.type === 'file') files.push(entry.path)
        bytes += entry.size
      }
      return {files, bytes}
    },

    async build(contextDir, opts: BuildOptions = {}): Promise<BuildOutcome> {
      const e = await engine()
      const keep = opts.keep ?? Boolean(opts.tag)
      const tag = opts.tag ?? verifyTag(options.exercise.id, runId)
      const root = inside(contextDir)
      const dockerfile = opts.dockerfile ?? 'Dockerfile'
      try {
        await access(join(root, dockerfile))
      } catch (error) {
        throw fileError(error, join(relative(options.workshopDir, root), dockerfile), 'Dockerfile')
      }
      if (!keep) cleanups.push(() => e.docker.getImage(tag).remove({force: true}))
      const buildLabels = labels({[OwnLabel.image]: tag}, {keep})
      // dk build's own pipeline (lint, local base images, .dockerignore-exact context).
      const {buildImage} = await import('../engine/build.js')
      const result = await buildImage(e, {dir: root, dockerfile: join(root, dockerfile), tags: [tag], buildArgs: opts.buildArgs, labels: buildLabels})
      return {id: result.id, tags: [tag], output: result.output.join('\n'), steps: result.steps, warnings: result.warnings}
    },

    run,

    async exec(container, cmd, opts = {}) {
      const {execIn} = await import('../engine/containers.js')
      return execIn(await engine(), container, cmd, opts)
    },

    inspectImage,
    inspectContainer,

    async imageExists(ref) {
      try {
        await inspectImage(ref)
        return true
      } catch (error) {
        if (error instanceof NotFoundError) return false
        throw error
      }
    },

    async containerByName(name) {
      try {
        const info = await inspectContainer(name)
        // The API also resolves id prefixes; only an exact name counts.
        return info.Name === `/${name}` ? info : undefined
      } catch (error) {
        if (error instanceof NotFoundError) return undefined
        throw error
      }
    },

    async publishedPort(container, port) {
      const info = await inspectContainer(container)
      const key = port.includes('/') ? port : `${port}/tcp`
      const bindings = info.NetworkSettings.Ports?.[key] ?? []
      const usable = bindings.find((b) => b.HostIp === '127.0.0.1' || b.HostIp === '0.0.0.0' || b.HostIp === '')
      return usable ? Number(usable.HostPort) : undefined
    },

    httpGet: (port, path = '/', opts = {}) => httpGet(port, path, opts.retries ?? 5, opts.timeoutMs ?? 3000),
    tcpRequest: (port, payload, opts = {}) => tcpRequest(port, payload, opts.until, opts.timeoutMs ?? 3000),

    async stopTimed(container, opts = {}) {
      const c = await getContainer(container)
      const started = Date.now()
      try {
        await c.stop({t: opts.timeoutSeconds ?? 10})
      } catch (error) {
        // 304: already stopped. Anything else is a real problem.
        if ((error as {statusCode?: number}).statusCode !== 304) throw apiError(error, {action: `stop ${container}`, subject: `container ${container}`})
      }
      const ms = Date.now() - started
      const info = await inspectContainer(container)
      return {ms, exitCode: info.State.ExitCode}
    },

    async readFile(relPath) {
      try {
        return await readFile(inside(relPath), 'utf8')
      } catch (error) {
        throw fileError(error, relPath)
      }
    },

    async fileExists(relPath) {
      try {
        await access(inside(relPath))
        return true
      } catch {
        return false
      }
    },

    sh: (cmd, opts = {}) => hostCommand(cmd, opts.cwd ? resolve(dir, opts.cwd) : dir, opts.input, opts.env),

    cleanupLater(fn) {
      cleanups.push(fn)
    },

    async logs(container) {
      return containerLogs(await getContainer(container))
    },

    async removeContainer(nameOrId) {
      const c = await getContainer(nameOrId)
      await c.remove({force: true, v: true}).catch((error: {statusCode?: number}) => {
        if (error.statusCode !== 404) throw apiError(error, {action: `remove container ${nameOrId}`})
      })
    },

    async removeImage(ref) {
      const e = await engine()
      await e.docker
        .getImage(ref)
        .remove()
        .catch((error: {statusCode?: number}) => {
          if (error.statusCode !== 404) throw apiError(error, {action: `remove image ${ref}`})
        })
    },
  }

  return {
    ctx,
    async cleanup() {
      const problems: string[] = []
      for (const fn of cleanups.reverse()) {
        try {
          await fn()
        } catch (error) {
          if ((error as {statusCode?: number}).statusCode !== 404) problems.push((error as Error).message)
        }
      }
      if (enginePromise) {
        try {
          problems.push(...(await removeLabelled(await enginePromise, {[Label.run]: runId})))
        } catch (error) {
          problems.push((error as Error).message)
        }
      }
      return problems
    },
  }
}

/**
 * Labels the kit adds so that dk can tell what it made from what merely inherited its labels:
 * Docker copies an image's labels into every image built FROM it and every container run from
 * it, so an attendee's `docker build` on top of dk's workshop/base:1 carries dk's labels too.
 */
export {OwnLabel}

export interface LabelledObjects {
  containers: Array<{id: string; name: string}>
  images: Array<{id: string; tags: string[]}>
  volumes: string[]
  networks: Array<{id: string; name: string}>
}

const hasAll = (labels: Record<string, string> | null | undefined, match: Record<string, string>) => Object.entries(match).every(([k, v]) => labels?.[k] === v)

/**
 * The containers, images, volumes and networks that dk made with all of `match`'s labels,
 * leaving out objects that only inherited them (see OwnLabel): a container whose own-name label
 * is missing and whose image carries the same labels, an image whose own-tag label names another
 * image, or (without that label) whose parent carries the same labels.
 */
export async function findLabelled(engine: Engine, match: Record<string, string>): Promise<LabelledObjects> {
  const docker = engine.docker
  const selector = {[Label.managed]: 'true', ...match}
  const filters = JSON.stringify({label: Object.entries(selector).map(([k, v]) => `${k}=${v}`)})
  const imageLabels = new Map<string, Record<string, string> | undefined>()
  const labelsOfImage = async (id: string) => {
    if (!imageLabels.has(id)) {
      const info = (await docker.getImage(id).inspect().catch(() => undefined)) as ImageInfo | undefined
      imageLabels.set(id, info?.Config?.Labels ?? undefined)
    }
    return imageLabels.get(id)
  }
  const result: LabelledObjects = {containers: [], images: [], volumes: [], networks: []}
  for (const c of await docker.listContainers({all: true, filters})) {
    // Names also lists link aliases ("/dk-app/db" for a container dk-app links as db).
    const names = (c.Names ?? []).map((n) => n.replace(/^\//, ''))
    const name = names.find((n) => !n.includes('/')) ?? names[0] ?? c.Id
    const own = c.Labels?.[OwnLabel.container]
    const made = own !== undefined ? names.includes(own) : !hasAll(await labelsOfImage(c.ImageID), selector)
    if (made) result.containers.push({id: c.Id, name})
  }
  for (const image of await docker.listImages({filters})) {
    const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>')
    const own = image.Labels?.[OwnLabel.image]
    let made: boolean
    if (own !== undefined) made = tags.length === 0 || tags.includes(own)
    else made = !image.ParentId || !hasAll(await labelsOfImage(image.ParentId), selector)
    if (made) result.images.push({id: image.Id, tags})
  }
  const {Volumes: volumes} = await docker.listVolumes({filters})
  result.volumes = (volumes ?? []).map((v) => v.Name)
  result.networks = (await docker.listNetworks({filters})).map((n) => ({id: n.Id, name: n.Name}))
  return result
}

/**
 * Remove what findLabelled finds. Used after each run (io.dk.run) and by reset (io.dk.workshop +
 * io.dk.exercise). Returns what could not be removed, with the engine's reason.
 */
export async function removeLabelled(engine: Engine, match: Record<string, string>): Promise<string[]> {
  const docker = engine.docker
  const found = await findLabelled(engine, match)
  const problems: string[] = []
  const note = (what: string) => (error: Error & {statusCode?: number}) => {
    if (error.statusCode !== 404) problems.push(`${what}: ${error.message}`)
  }
  await Promise.all(found.containers.map((c) => docker.getContainer(c.id).remove({force: true, v: true}).catch(note(`container ${c.name}`))))
  for (const image of found.images) {
    // Untag every name first: removing by id refuses an image with several tags; untagging
    // deletes it when nothing else (a child image) still needs it. Forced, because a container
    // that is not dk's (another workshop's, the attendee's) may still use it: the tag is dk's,
    // the image data stays for that container.
    for (const ref of image.tags) await docker.getImage(ref).remove({force: true}).catch(note(`image ${ref}`))
    if (image.tags.length === 0) await docker.getImage(image.id).remove().catch(() => undefined)
  }
  await Promise.all(found.volumes.map((v) => docker.getVolume(v).remove().catch(note(`volume ${v}`))))
  await Promise.all(found.networks.map((n) => docker.getNetwork(n.id).remove().catch(note(`network ${n.name}`))))
  return problems
}

/** How many objects findLabelled finds (`dk dev check` proves a reset left nothing). */
export async function countLabelled(engine: Engine, match: Record<string, string>): Promise<{containers: number; images: number; volumes: number; networks: number}> {
  const found = await findLabelled(engine, match)
  return {containers: found.containers.length, images: found.images.length, volumes: found.volumes.length, networks: found.networks.length}
}

/** A "NAME:/path" bind whose NAME is a volume name (not a path) is created with dk's labels. */
async function ensureNamedVolume(engine: Engine, spec: string, labels: Record<string, string>): Promise<void> {
  const name = spec.split(':')[0]
  if (!name || name.includes('/') || name.includes('\\') || name.startsWith('.')) return
  try {
    await engine.docker.getVolume(name).inspect()
  } catch {
    await engine.docker.createVolume({Name: name, Labels: labels})
  }
}

async function httpGet(port: number, path: string, retries: number, timeoutMs: number): Promise<HttpResponse> {
  let lastError: unknown
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(200 * 2 ** (attempt - 1), 2000))
    try {
      return await new Promise<HttpResponse>((resolvePromise, reject) => {
        const req = request({host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, headers: {connection: 'close'}}, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (b: Buffer) => chunks.push(b))
          res.on('end', () => resolvePromise({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers}))
          res.on('error', reject)
        })
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
        req.on('error', reject)
        req.end()
      })
    } catch (error) {
      lastError = error
    }
  }
  throw new WorkFailedError(`Nothing answered HTTP on 127.0.0.1:${port}${path} (${(lastError as Error)?.message ?? lastError}).`, {code: 'HTTP_UNREACHABLE'})
}

function tcpRequest(port: number, payload: string, until: string | RegExp | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let data = ''
    const socket = tcpConnect({host: '127.0.0.1', port})
    const done = () => {
      socket.destroy()
      resolvePromise(data)
    }
    socket.setTimeout(timeoutMs, () => (until ? reject(new WorkFailedError(`No complete answer from 127.0.0.1:${port} within ${timeoutMs} ms (got ${clip(data)}).`)) : done()))
    socket.on('connect', () => socket.write(payload))
    socket.on('data', (b: Buffer) => {
      data += b.toString('utf8')
      if (until && (typeof until === 'string' ? data.includes(until) : until.test(data))) done()
    })
    socket.on('end', done)
    socket.on('error', (error) => reject(new WorkFailedError(`Cannot connect to 127.0.0.1:${port}: ${error.message}.`)))
  })
}

function hostCommand(cmd: string[], cwd: string, input?: string, env?: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), {cwd, env: {...process.env, ...env}, stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', (error) => reject(new DkError(`Cannot run ${cmd[0]}: ${error.message}`)))
    child.on('close', (code) => resolvePromise({exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}))
    child.stdin.end(input ?? '')
  })
}

/**
 * A Dockerfile's instructions, from the linter's own parser: the same positions as `dk lint`, and
 * exec-form strings exactly as Docker reads them (spaces inside an element kept).
 */
export async function parseInstructions(text: string): Promise<DockerfileInstruction[]> {
  const {parseDockerfile} = await import('../dockerfile/parse.js')
  const {execForm} = await import('../dockerfile/exec-form.js')
  const {model} = parseDockerfile(text)
  if (!model) return []
  const convert = (instruction: Instruction): DockerfileInstruction => {
    const start = instruction.getRange().start
    const keyword = instruction.getKeyword().toUpperCase()
    const result: DockerfileInstruction = {keyword, args: instruction.getArgumentsContent() ?? '', line: start.line + 1, column: start.character + 1}
    const json = execForm(model, instruction)
    if (json) result.json = json.map((element) => element.value)
    if (keyword === 'FROM') result.image = instruction.getImage() ?? undefined
    if (keyword === 'ONBUILD') {
      const trigger = instruction.getTriggerInstruction()
      if (trigger) result.trigger = convert(trigger)
    }
    return result
  }
  return model.ast.getInstructions().map(convert)
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
