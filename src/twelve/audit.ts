/**
 * `dk twelve-factor`: static checks on DIR, then (with --run or --image) the image's own config,
 * then (with --run) the dynamic checks on a running container. Returns the report; the command
 * renders it and sets the exit code (1 when a factor fails).
 *
 * Decisions: with --run and no --image, DIR is built (lint is reported, not enforced, so a
 * Dockerfile with lint errors is still run) and the image is kept, tagged
 * `dk-twelve-factor/<dir-name>:latest`, so the next run reuses the build cache. With --image and
 * a DIR, the static checks still run on DIR.
 */
import {stat} from 'node:fs/promises'
import {basename, resolve} from 'node:path'

import {DkError, NotFoundError, UsageError} from '../cli/errors.js'
import type {Engine} from '../engine/connect.js'
import {apiError} from '../engine/errors.js'
import {type DeclarationOverrides, resolveDeclaration} from './declarations.js'
import {dynamicChecks} from './dynamic-checks.js'
import {type Check, buildReport, fail, notChecked, pass, type TwelveFactorReport, warn} from './report.js'
import {staticChecks} from './static-checks.js'

export interface AuditOptions extends DeclarationOverrides {
  dir?: string
  dockerfile?: string
  image?: string
  run: boolean
  host?: string
  labels?: Record<string, string>
  signal?: AbortSignal
  startTimeoutMs?: number
  /** Progress lines ("building…", "starting two replicas…") for the human renderer. */
  onStep?: (message: string) => void
}

export async function audit(options: AuditOptions): Promise<TwelveFactorReport> {
  const dir = options.dir === undefined ? undefined : resolve(options.dir)
  if (!dir && !options.image) throw new UsageError('Nothing to check: give a directory or --image.', {hint: 'For example `dk twelve-factor .` or `dk twelve-factor --image web:1 --run`.'})
  if (dir) {
    const info = await stat(dir).catch(() => undefined)
    if (!info) throw new NotFoundError(`Directory not found: ${dir}`, {hint: 'Give the folder that holds the Dockerfile.'})
    if (!info.isDirectory()) throw new UsageError(`Not a directory: ${dir}`, {hint: 'Give the folder that holds the Dockerfile, not the Dockerfile itself.'})
  }

  const statics = dir ? staticChecks({dir, dockerfile: options.dockerfile}) : Promise.resolve(undefined)
  if (!options.run && !options.image) {
    return buildReport((await statics)?.checks ?? [], {dir, ran: false})
  }
  // The static checks read files while the engine connects and builds.
  statics.catch(() => undefined)

  const {connectEngine} = await import('../engine/connect.js')
  const engine = await connectEngine({host: options.host})
  const remote = engine.address.host && !['localhost', '127.0.0.1', '::1'].includes(engine.address.host)
  if (options.run && remote) {
    // The replicas publish on the engine host's 127.0.0.1, which dk cannot reach from here.
    throw new UsageError(`--run needs an engine on this machine; ${engine.address.url} is remote.`, {
      hint: 'Run dk twelve-factor on the engine host, or without --run for the static checks and the image config.',
    })
  }
  let image = options.image
  let built = false
  let buildCheck: Check | undefined
  /** How the report names the image: the tag dk gave it, or what the user typed. */
  let shown = options.image
  if (!image) {
    const outcome = await statics
    // Nothing to build: the static report already fails V; the run is reported as not checked.
    if (!outcome?.facts) return buildReport([...(outcome?.checks ?? []), notChecked('V', 'build', 'Not built: there is no Dockerfile', {kind: 'dynamic'})], {dir, ran: false})
    const {buildImage} = await import('../engine/build.js')
    const tag = `dk-twelve-factor/${sanitise(basename(dir!))}:latest`
    options.onStep?.(`Building ${dir} as ${tag}…`)
    let result
    try {
      result = await buildImage(engine, {dir: dir!, dockerfile: options.dockerfile ? resolve(dir!, options.dockerfile) : undefined, tags: [tag], labels: options.labels, lint: false, signal: options.signal}, (event) => {
        if (event.type === 'step') options.onStep?.(`  Step ${event.number}/${event.total} : ${event.instruction}`)
      })
    } catch (error) {
      // A build that fails is a verdict on factor V, not the end of the report.
      if (!(error instanceof DkError) || error.code !== 'BUILD_FAILED') throw error
      const details = (error.details ?? {}) as {lastLines?: string[]}
      const failed = fail('V', 'build', 'The image does not build', [error.message, ...(details.lastLines ?? []).slice(-6).map((l) => `build: ${l}`)], 'Fix the failing step (`dk build` shows its whole output), then run the report again.', {kind: 'dynamic'})
      return buildReport([...outcome.checks, failed], {dir, ran: false})
    }
    image = result.id
    shown = tag
    built = true
    buildCheck = pass('V', 'build', 'The image builds', [`built ${tag} (${result.id.slice(7, 19)}) in ${result.durationMs} ms, ${result.steps.length} steps`], {kind: 'dynamic'})
  }
  let checks: Check[] = (await statics)?.checks ?? []
  if (buildCheck) checks.push(buildCheck)
  const config = await imageConfig(engine, image)
  checks = replace(checks, imageChecks(config, options.image ?? 'the built image'))
  const declaration = resolveDeclaration(config.labels, options)

  if (!options.run) return buildReport(checks, {dir, image: shown, ran: false})
  options.onStep?.(`Starting two replicas of ${shown} with a random PORT…`)
  const dynamic = await dynamicChecks({engine, image, declaration, exposed: config.exposed, labels: options.labels, signal: options.signal, startTimeoutMs: options.startTimeoutMs})
  return buildReport([...checks, ...dynamic.checks], {dir, image: shown, ran: true, runtime: {...dynamic.runtime, built, image: shown ?? image}})
}

function sanitise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'app'
}

interface ImageConfig {
  exposed: string[]
  cmd?: string[]
  entrypoint?: string[]
  labels: Record<string, string>
}

async function imageConfig(engine: Engine, image: string): Promise<ImageConfig> {
  let info
  try {
    info = await engine.docker.getImage(image).inspect()
  } catch (error) {
    throw apiError(error, {action: `inspect image ${image}`, subject: `image ${image}`, address: engine.address})
  }
  const c = info.Config ?? ({} as typeof info.Config)
  const asList = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : undefined)
  return {exposed: Object.keys(c.ExposedPorts ?? {}), cmd: asList(c.Cmd), entrypoint: asList(c.Entrypoint), labels: (c.Labels as Record<string, string> | null) ?? {}}
}

/** The image's config is the truth for ports and command (it includes what the base image adds). */
function imageChecks(config: ImageConfig, name: string): Check[] {
  const checks: Check[] = []
  const ports = config.exposed
  if (ports.length === 1) checks.push(pass('VII', 'one-port', 'Exactly one exposed port', [`${name} exposes ${ports[0]}`]))
  else if (ports.length === 0) checks.push(fail('VII', 'one-port', 'The image exposes no port', [`${name}: no ExposedPorts in its config`], 'EXPOSE the one port the app listens on ($PORT).'))
  else checks.push(fail('VII', 'one-port', `${ports.length} exposed ports; a Deis app exposes exactly one`, [`${name} exposes ${ports.join(', ')}`], 'Expose only the port the app serves on and bind it to $PORT.'))
  const command = [...(config.entrypoint ?? []), ...(config.cmd ?? [])]
  if (command.length === 0) checks.push(fail('V', 'cmd', 'The image has no default command', [`${name}: no Entrypoint and no Cmd`], 'Add an exec-form CMD: a platform starts the image without arguments.'))
  else if (!config.entrypoint && /^(\/bin\/)?(sh|bash|ash)$/.test(command[0]) && command.length === 1)
    checks.push(warn('V', 'cmd', 'The default command is a bare shell', [`${name}: Cmd ${JSON.stringify(command)}`], 'Set CMD to the app\'s process: the base image\'s shell is not an app.'))
  else checks.push(pass('V', 'cmd', 'The image has a default command', [`${name}: ${JSON.stringify(command)}`]))
  return checks
}

/** Image-based checks replace the Dockerfile-only checks with the same factor and id. */
function replace(checks: Check[], replacements: Check[]): Check[] {
  const keys = new Set(replacements.map((c) => `${c.factor}/${c.id}`))
  return [...checks.filter((c) => !keys.has(`${c.factor}/${c.id}`)), ...replacements]
}
