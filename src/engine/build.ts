/**
 * `dk build` and every other caller that needs an image (exercises, `dk twelve-factor`):
 * lint → check base images → plan and pack the context (src/context) → POST /build with the
 * classic builder → decode the stream (build-stream.ts) → BuildResult.
 *
 * Decisions:
 * - Classic builder (`version=1`) with `rm` and `forcerm`, so neither a finished nor a failed nor an
 *   aborted step leaves its intermediate container behind.
 * - `pull` is never sent unless asked; before the upload the base images are looked up locally
 *   (build-from.ts), because the engine would otherwise try a registry that is not there.
 * - The context is a stream from the packer straight into the request (dk's own client counts the
 *   bytes for the upload progress and `contextBytes`; no stage sits in between).
 * - Every image carries dk's labels (`io.dk.managed=true`) plus the caller's.
 * - Failure is read from the stream (`error`/`errorDetail`), never from the HTTP status.
 */
import {readFile} from 'node:fs/promises'
import {basename, join, resolve} from 'node:path'
import type {Readable} from 'node:stream'

import type {Engine} from './connect.js'
import {InterruptedError, UsageError, WorkFailedError, fileError} from '../cli/errors.js'
import {type BuildEvent, type BuildStep, BuildStreamDecoder} from './build-stream.js'
import {baseImages, checkBaseImages} from './build-from.js'
import {lintForBuild, findingLine} from './build-lint.js'
import {openContext} from './build-context.js'
import {pathPart, queryString} from './engine-http.js'
import {apiError} from './errors.js'
import {dkLabels} from './labels.js'
import {uploadDirect} from './direct-upload.js'
import {isPlainSocket} from './wire.js'
import type {LintFinding} from '../dockerfile/types.js'

export type {BuildEvent} from './build-stream.js'

export interface BuildOptions {
  /** The build context directory. */
  dir: string
  /** Path of the Dockerfile (relative to the working directory, as `docker build -f`); default DIR/Dockerfile. */
  dockerfile?: string
  /** The Dockerfile's text (for `-f -` or generated files); wins over `dockerfile`. */
  dockerfileContent?: string
  tags?: string[]
  buildArgs?: Record<string, string>
  labels?: Record<string, string>
  target?: string
  noCache?: boolean
  /** Let the engine pull base images (`--pull`); dk never does it by default. */
  pull?: boolean
  /** `--network` for RUN steps: bridge, host, none, or a network name. */
  network?: string
  /** Aborts the upload and the build; the engine removes the running step's container. */
  signal?: AbortSignal
  /** Lint first (default true); lint errors stop the build. */
  lint?: boolean
}

export interface BuildStepSummary {
  number: number
  instruction: string
  cached: boolean
  layer?: string
}

export interface BuildResult {
  /** Full image id, "sha256:…". */
  id: string
  /** Tags as the engine applied them ("name:latest"). */
  tags: string[]
  durationMs: number
  /** Bytes of the context tar sent to the engine. */
  contextBytes: number
  steps: BuildStepSummary[]
  /** Lint findings below error level and builder warnings. */
  warnings: string[]
  /** Lint findings (all severities) when lint ran. */
  findings: LintFinding[]
  /** The last lines of output of the build. */
  output: string[]
}

/** Details of a failed build (WorkFailedError.details). */
export interface BuildFailureDetails {
  /** The failing step's number, when the failure happened in a step. */
  step?: number
  /** The failing step's instruction, e.g. "RUN make". */
  command?: string
  /** The exit status of a failing RUN. */
  exitCode?: number
  /** The last lines the failing step printed. */
  lastLines: string[]
  engineMessage: string
  steps: BuildStepSummary[]
  contextBytes: number
}

/** Build an image. Progress and output go to `events`; the promise settles with the result or a DkError. */
export async function buildImage(engine: Engine, options: BuildOptions, events: (e: BuildEvent) => void = () => undefined): Promise<BuildResult> {
  const started = Date.now()
  const dir = resolve(options.dir)
  const {text, file, path} = await dockerfileText(dir, options)
  const warnings: string[] = []

  let findings: LintFinding[] = []
  if (options.lint !== false) {
    const lint = await lintForBuild({path, text, file})
    findings = lint.findings
    if (lint.errors.length > 0) {
      const first = lint.errors[0]
      throw new WorkFailedError(`The Dockerfile has ${lint.errors.length} lint error${lint.errors.length === 1 ? '' : 's'}; nothing was built.`, {
        code: 'LINT_ERRORS',
        location: `${first.file}:${first.line}:${first.column}`,
        hint: `Fix ${lint.errors.length === 1 ? 'it' : 'them'} (\`dk lint ${file}\` explains each rule), or build anyway with --no-lint.`,
        details: {findings: lint.findings},
      })
    }
    for (const finding of lint.findings) {
      warnings.push(findingLine(finding))
      events({type: 'warning', message: findingLine(finding)})
    }
  }

  if (!options.pull) await checkBaseImages(engine, await baseImages(text, file, {target: options.target, buildArgs: options.buildArgs}))

  if (options.signal?.aborted) throw new InterruptedError('Build interrupted before it started.')
  const context = await openContext(dir, options)
  let contextBytes = 0
  context.stream.once('end', () => events({type: 'upload', bytes: contextBytes, done: true}))

  const decoder = new BuildStreamDecoder(events)
  const query: Record<string, unknown> = {
    version: '1',
    rm: true,
    forcerm: true,
    dockerfile: context.dockerfileQueryPath,
    t: options.tags?.length ? options.tags : undefined,
    buildargs: options.buildArgs && Object.keys(options.buildArgs).length ? options.buildArgs : undefined,
    labels: {...dkLabels(), ...options.labels},
    target: options.target || undefined,
    nocache: options.noCache || undefined,
    pull: options.pull || undefined,
    networkmode: options.network || undefined,
  }
  const onUpload = (n: number) => {
    contextBytes += n
    events({type: 'upload', bytes: contextBytes, done: false})
  }

  try {
    // Over a plain socket the context goes straight into it (direct-upload.ts); TLS and ssh through
    // engine-http's streams.
    if (isPlainSocket(engine.address)) {
      await uploadDirect(engine.address, `/v${engine.apiVersion}/build${queryString(query)}`, {stream: context.stream}, {signal: options.signal, onChunk: onUpload, onAnswer: (chunk) => decoder.push(chunk)})
    } else {
      const response = await engine.http.stream({method: 'POST', path: '/build', query, upload: context.stream, onUpload, signal: options.signal})
      await consume(response, decoder, options.signal)
    }
  } catch (error) {
    context.stream.destroy()
    if (options.signal?.aborted || (error as Error)?.name === 'AbortError') {
      if (decoder.runningContainer) await awaitRemoval(engine, decoder.runningContainer)
      throw new InterruptedError('Build interrupted; the engine stopped it and removed its intermediate container.', {
        hint: 'Run the same command again to resume from the build cache.',
        details: {contextBytes, steps: summarise(decoder.steps)},
      })
    }
    throw apiError(error, {action: 'build the image', address: engine.address})
  }
  decoder.end()

  const steps = summarise(decoder.steps)
  if (decoder.error || !decoder.id) {
    const failing = decoder.error ? decoder.currentStep : undefined
    const message = decoder.error?.message ?? 'the engine ended the build without an image id'
    const details: BuildFailureDetails = {
      step: failing?.number,
      command: failing?.instruction,
      exitCode: decoder.error?.exitCode,
      lastLines: failing?.output ?? decoder.lastLines,
      engineMessage: message,
      steps,
      contextBytes,
    }
    throw new WorkFailedError(failureMessage(failing, decoder.error?.exitCode, message, decoder.steps.at(-1)?.instruction), {
      code: 'BUILD_FAILED',
      hint: failing && decoder.error?.exitCode !== undefined ? 'The last lines of its output are above. Fix the command and build again; earlier steps come from the cache.' : undefined,
      details: details as unknown as Record<string, unknown>,
    })
  }

  warnings.push(...decoder.warnings)
  return {
    id: decoder.id,
    tags: decoder.tags.length ? decoder.tags : (options.tags ?? []),
    durationMs: Date.now() - started,
    contextBytes,
    steps,
    warnings,
    findings,
    output: decoder.lastLines,
  }
}

/**
 * After a cancelled build the engine kills and removes the step's container (forcerm) on its own,
 * but asynchronously, a moment after the connection closed. Wait for that (bounded), and remove the
 * container ourselves if the engine did not, so that an interrupted `dk build` never leaves one.
 */
async function awaitRemoval(engine: Engine, containerId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      await engine.http.json({path: `/containers/${pathPart(containerId)}/json`})
    } catch (error) {
      if ((error as {statusCode?: number}).statusCode === 404) return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  await engine.http.json({method: 'DELETE', path: `/containers/${pathPart(containerId)}`, query: {force: true}}).catch(() => undefined)
}

function failureMessage(step: BuildStep | undefined, exitCode: number | undefined, message: string, lastInstruction?: string): string {
  if (step && exitCode !== undefined) return `Step ${step.number} failed: \`${step.instruction}\` exited with status ${exitCode}.`
  if (step) return `Step ${step.number} (\`${step.instruction}\`) failed: ${message}`
  return `The build failed: ${message}${lastInstruction ? ` (after \`${lastInstruction}\`)` : ''}`
}

function summarise(steps: BuildStep[]): BuildStepSummary[] {
  return steps.map(({number, instruction, cached, layer}) => ({number, instruction, cached, layer}))
}

/** Read the response to the end, feeding the decoder; rejects when the connection breaks or the signal fires. */
function consume(response: Readable, decoder: BuildStreamDecoder, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onAbort = () => {
      response.destroy()
      const error = new Error('aborted')
      error.name = 'AbortError'
      reject(error)
    }
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, {once: true})
    response.on('data', (chunk: Buffer) => decoder.push(chunk))
    response.on('end', () => {
      signal?.removeEventListener('abort', onAbort)
      resolvePromise()
    })
    response.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort)
      reject(error)
    })
  })
}

/** The Dockerfile's text and the name findings and messages use for it. */
async function dockerfileText(dir: string, options: BuildOptions): Promise<{text: string; file: string; path?: string}> {
  if (options.dockerfileContent !== undefined) return {text: options.dockerfileContent, file: options.dockerfile && options.dockerfile !== '-' ? options.dockerfile : '<stdin>'}
  const path = options.dockerfile ? resolve(options.dockerfile) : join(dir, 'Dockerfile')
  try {
    return {text: await readFile(path, 'utf8'), file: options.dockerfile ?? basename(path), path}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.dockerfile) {
      // The docker CLI also accepts a lower-case "dockerfile" when "Dockerfile" is absent.
      try {
        const lower = join(dir, 'dockerfile')
        return {text: await readFile(lower, 'utf8'), file: 'dockerfile', path: lower}
      } catch {
        /* report the canonical name below */
      }
    }
    throw fileError(error, path, 'Dockerfile')
  }
}

/**
 * `--build-arg` values as `docker build` reads them: `K=V`, or `K` alone taking the value from the
 * environment (left out when the variable is unset, as the docker CLI does).
 */
export function parseBuildArgs(list: string[] = [], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const result: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    const name = eq === -1 ? item : item.slice(0, eq)
    if (!name) throw new UsageError(`Invalid --build-arg "${item}": the name is empty.`, {hint: 'Write --build-arg NAME=value, or --build-arg NAME to take the value from the environment.'})
    if (eq !== -1) result[name] = item.slice(eq + 1)
    else if (env[name] !== undefined) result[name] = env[name] as string
  }
  return result
}

/** `--label K=V` (or `K`, an empty value, as docker does). */
export function parseLabels(list: string[] = []): Record<string, string> {
  const result: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    const name = eq === -1 ? item : item.slice(0, eq)
    if (!name) throw new UsageError(`Invalid --label "${item}": the name is empty.`, {hint: 'Write --label key=value.'})
    result[name] = eq === -1 ? '' : item.slice(eq + 1)
  }
  return result
}

/** `-f -`: the Dockerfile from standard input (a Dockerfile is small; it is read whole). */
export async function readStdinText(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if ((input as {isTTY?: boolean}).isTTY)
    throw new UsageError('`-f -` reads the Dockerfile from standard input, but it is a terminal.', {hint: 'Redirect a file: dk build -f - . < Dockerfile'})
  const chunks: Buffer[] = []
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

/** `--iidfile`: the image id, written atomically (temp file in the same directory, then rename). */
export async function writeIidFile(path: string, id: string): Promise<void> {
  const {rename, unlink, writeFile} = await import('node:fs/promises')
  const {dirname: dirOf, basename: baseOf, join: joinPath} = await import('node:path')
  const temp = joinPath(dirOf(resolve(path)), `.${baseOf(path)}.dk-${process.pid}.tmp`)
  try {
    await writeFile(temp, id, {mode: 0o644})
    await rename(temp, resolve(path))
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw fileError(error, path, 'iidfile')
  }
}
