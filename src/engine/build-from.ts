/**
 * Base images must be local: dk never pulls on its own and usually no registry is reachable in the
 * workshop room. Before the context is sent, the FROM lines of the stages the classic builder will
 * build are checked against the engine's image store, so that a missing `debian:bookworm` produces
 * one clear sentence (and exit 4) instead of the engine's long "dial tcp: lookup registry-1…" error
 * after the upload.
 *
 * Which stages: the classic builder builds every stage in order up to the target (it does not skip
 * unused stages as BuildKit does), so without --target all stages count, with it those up to it.
 * Skipped: `scratch`, names of earlier stages, and images whose `$VAR` cannot be resolved from the
 * ARGs before the first FROM and the build args (the engine will judge those).
 */
import type {Engine} from './connect.js'
import {NotFoundError, UsageError} from '../cli/errors.js'
import {pathPart} from './engine-http.js'
import {apiError} from './errors.js'

export interface BaseImageRef {
  /** The image as it will be looked up, variables resolved: "busybox:latest", "debian:bookworm". */
  image: string
  /** As written in the Dockerfile. */
  written: string
  /** "Dockerfile:3:6" (1-based), where the image name starts. */
  location: string
  stage: number
}

export interface BaseImagePlan {
  /** Images to look up in the local store. */
  images: BaseImageRef[]
  /** Stage names (lower-case) in order; index = stage number. */
  stageNames: Array<string | undefined>
}

/** Read the FROMs of a Dockerfile's text: the base images the (target) build needs. */
export async function baseImages(text: string, file: string, options: {target?: string; buildArgs?: Record<string, string>} = {}): Promise<BaseImagePlan> {
  // dk's own syntax tree (the linter's): the same positions as the lint findings, and no parser to load twice.
  const {parseSyntax} = await import('../dockerfile/syntax.js')
  const instructions = parseSyntax(text.startsWith('\uFEFF') ? text.slice(1) : text).getInstructions()
  const froms = instructions.filter((i) => i.getKeyword() === 'FROM')

  // Only ARGs before the first FROM are in scope for FROM lines (Docker's rule); build args override them.
  const firstFromLine = froms[0]?.getRange().start.line ?? Number.POSITIVE_INFINITY
  const scope: Record<string, string | undefined> = {}
  for (const arg of instructions.filter((i) => i.getKeyword() === 'ARG')) {
    if (arg.getRange().start.line >= firstFromLine) continue
    const property = arg.getProperty()
    if (!property) continue
    const name = property.getName()
    scope[name] = options.buildArgs?.[name] ?? property.getValue() ?? undefined
  }

  const stageNames = froms.map((from) => from.getBuildStage()?.toLowerCase() ?? undefined)
  let last = froms.length - 1
  if (options.target) {
    last = stageNames.indexOf(options.target.toLowerCase())
    if (last === -1)
      throw new UsageError(`Build target "${options.target}" is not a stage of ${file}.`, {
        hint: stageNames.some(Boolean) ? `Stages: ${stageNames.filter(Boolean).join(', ')}.` : `Name a stage with \`FROM image AS name\`.`,
      })
  }

  const images: BaseImageRef[] = []
  froms.slice(0, last + 1).forEach((from, index) => {
    const written = from.getImage()
    if (!written) return
    const resolved = expand(written, scope)
    if (resolved === undefined) return
    const lower = resolved.toLowerCase()
    if (lower === 'scratch') return
    if (stageNames.slice(0, index).includes(lower)) return
    const start = from.getImageRange()?.start ?? from.getRange().start
    images.push({image: resolved, written, location: `${file}:${start.line + 1}:${start.character + 1}`, stage: index})
  })
  return {images, stageNames}
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`; undefined when a variable has no value. */
export function expand(text: string, scope: Record<string, string | undefined>): string | undefined {
  let unresolved = false
  const result = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, bare) => {
    const value = scope[braced ?? bare]
    if (op === '-') return value ? value : word
    if (op === '+') return value ? word : ''
    if (value === undefined) unresolved = true
    return value ?? ''
  })
  return unresolved || result === '' ? undefined : result
}

/** Check that every base image is in the engine's store; throws NotFoundError (exit 4) for the first missing one. */
export async function checkBaseImages(engine: Engine, plan: BaseImagePlan): Promise<void> {
  const seen = new Set<string>()
  for (const ref of plan.images) {
    if (seen.has(ref.image)) continue
    seen.add(ref.image)
    try {
      await engine.http.json({path: `/images/${pathPart(ref.image)}/json`})
    } catch (error) {
      if ((error as {statusCode?: number}).statusCode !== 404) throw apiError(error, {action: `look up image ${ref.image}`, address: engine.address})
      const reachable = await registryReachable(registryHost(ref.image))
      throw new NotFoundError(
        `Base image ${ref.image} is not in the engine's image store${reachable ? ', and dk does not pull on its own' : ', and no registry is reachable from here'}.`,
        {
          code: 'BASE_IMAGE_MISSING',
          location: ref.location,
          hint: `\`dk setup\` makes busybox and debian:bookworm locally (\`dk setup --debian\`), \`dk load -i FILE\` loads an image a neighbour saved with \`dk save\`${reachable ? '; `dk build --pull` lets the engine pull it' : ''}. \`dk images\` lists what is here.`,
          details: {image: ref.image, written: ref.written, stage: ref.stage},
        },
      )
    }
  }
}

/** The registry an image name points at: the first path part when it looks like a host, else Docker Hub. */
export function registryHost(image: string): string {
  const first = image.split('/')[0]
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first.replace(/:\d+$/, '')
  return 'registry-1.docker.io'
}

/** A bounded DNS lookup: enough to tell "offline" from "online" without contacting the registry. */
async function registryReachable(host: string, timeoutMs = 1500): Promise<boolean> {
  const {lookup} = await import('node:dns/promises')
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      lookup(host).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs)
      }),
    ])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
