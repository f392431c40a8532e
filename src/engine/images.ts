/**
 * Images in the engine's store: list, inspect (images and, because `docker inspect` does, containers),
 * tag, remove and history. Each function returns plain data; the commands render it. Semantics follow
 * the docker CLI: one row per tag, `<none>` for untagged images, 12-character ids, the daemon's
 * newest-first order.
 */
import type Dockerode from 'dockerode'

import type {Engine} from './connect.js'
import {type DkError, NotFoundError, UsageError} from '../cli/errors.js'
import {pathPart} from './engine-http.js'
import {apiError} from './errors.js'

export interface ImageRow {
  repository: string
  tag: string
  /** Full id, "sha256:…". */
  id: string
  /** The 12 hex digits `docker images` shows. */
  shortId: string
  /** ISO 8601. */
  created: string
  /** Bytes (the image's total size, shared layers included, as `docker images` shows it). */
  size: number
  labels: Record<string, string>
}

export interface ListImagesOptions {
  /** `REPO[:TAG]`: only images whose references match (Docker's `reference` filter). */
  reference?: string
  /** Include intermediate images (`-a`). */
  all?: boolean
  /** Extra engine filters, `key=value` (`dangling=true`, `label=io.dk.managed=true`, `before=…`). */
  filters?: string[]
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12)
}

/** The rows of `docker images`. */
export async function listImages(engine: Engine, options: ListImagesOptions = {}): Promise<ImageRow[]> {
  const filters: Record<string, string[]> = {}
  for (const item of options.filters ?? []) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`Invalid filter "${item}".`, {hint: 'Write --filter key=value, e.g. --filter dangling=true or --filter label=io.dk.managed=true.'})
    ;(filters[item.slice(0, eq)] ??= []).push(item.slice(eq + 1))
  }
  if (options.reference) (filters.reference ??= []).push(options.reference)
  let images: Dockerode.ImageInfo[]
  try {
    images = await engine.http.json<Dockerode.ImageInfo[]>({path: '/images/json', query: {all: options.all ?? false, filters}})
  } catch (error) {
    throw apiError(error, {action: 'list images', address: engine.address})
  }
  const rows: ImageRow[] = []
  for (const image of images) {
    const base = {id: image.Id, shortId: shortId(image.Id), created: new Date(image.Created * 1000).toISOString(), size: image.Size, labels: image.Labels ?? {}}
    const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>')
    if (tags.length > 0) {
      for (const ref of tags) rows.push({...splitReference(ref), ...base})
      continue
    }
    // Untagged but pulled by digest: the repository is known, the tag is not.
    const digests = (image.RepoDigests ?? []).filter((d) => d !== '<none>@<none>')
    if (digests.length > 0) {
      for (const ref of digests) rows.push({repository: ref.slice(0, ref.indexOf('@')), tag: '<none>', ...base})
      continue
    }
    rows.push({repository: '<none>', tag: '<none>', ...base})
  }
  return rows
}

/** "registry:5000/team/app:1.2" → {repository: "registry:5000/team/app", tag: "1.2"}; no tag → "latest". */
export function splitReference(reference: string): {repository: string; tag: string} {
  const withoutDigest = reference.split('@')[0]
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  if (colon > slash) return {repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1)}
  return {repository: withoutDigest, tag: 'latest'}
}

// Docker's reference grammar (distribution/reference), enough to refuse what the engine would refuse.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*'
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?'
const REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`)
const TAG = /^[\w][\w.-]{0,127}$/

/** Check a `NAME[:TAG]` the user wants to create; throws a UsageError that says what is wrong. */
export function validateTagReference(reference: string): {repository: string; tag: string} {
  const {repository, tag} = splitReference(reference)
  const hint = 'A name is lower-case letters, digits and separators (. _ -), optionally with a registry host and path: `myapp`, `team/myapp:1.0`, `localhost:5000/myapp`.'
  if (reference.includes('@')) throw new UsageError(`Invalid image name "${reference}": a new name cannot carry a digest.`, {hint})
  if (repository !== repository.toLowerCase() && !/^[^/]*[.:]/.test(repository))
    throw new UsageError(`Invalid image name "${reference}": the repository name must be lower-case.`, {hint})
  if (!REPOSITORY.test(repository) || repository.length > 255) throw new UsageError(`Invalid image name "${reference}".`, {hint})
  if (!TAG.test(tag)) throw new UsageError(`Invalid tag "${tag}" in "${reference}".`, {hint: 'A tag is up to 128 letters, digits, underscores, periods and dashes, not starting with a period or dash.'})
  return {repository, tag}
}

/** The raw `GET /images/{name}/json`; NotFoundError (exit 4) when missing. */
export async function inspectImageRaw(engine: Engine, name: string): Promise<Dockerode.ImageInspectInfo> {
  try {
    return await engine.http.json<Dockerode.ImageInspectInfo>({path: `/images/${pathPart(name)}/json`})
  } catch (error) {
    throw apiError(error, {action: `inspect image ${name}`, subject: `image: ${name}`, address: engine.address})
  }
}

/** What a learner looks at first in an image. */
export interface ImageSummary {
  kind: 'image'
  id: string
  tags: string[]
  created: string
  size: number
  architecture: string
  os: string
  cmd: string[] | null
  entrypoint: string[] | null
  exposedPorts: string[]
  env: string[]
  workingDir: string
  user: string
  volumes: string[]
  onBuild: string[]
  labels: Record<string, string>
  /** Layer digests of the root filesystem, bottom first. */
  layers: string[]
  parent: string
}

export function summariseImage(raw: Dockerode.ImageInspectInfo): ImageSummary {
  const config = (raw.Config ?? {}) as Partial<Dockerode.ImageInspectInfo['Config']> & {OnBuild?: string[] | null}
  return {
    kind: 'image',
    id: raw.Id,
    tags: raw.RepoTags ?? [],
    created: raw.Created,
    size: raw.Size,
    architecture: raw.Architecture,
    os: raw.Os,
    cmd: asList(config.Cmd),
    entrypoint: asList(config.Entrypoint),
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    env: config.Env ?? [],
    workingDir: config.WorkingDir ?? '',
    user: config.User ?? '',
    volumes: Object.keys(config.Volumes ?? {}),
    onBuild: config.OnBuild ?? [],
    labels: config.Labels ?? {},
    layers: raw.RootFS?.Layers ?? [],
    parent: raw.Parent ?? '',
  }
}

/** A container's essentials, for `dk inspect` on a container name. */
export interface ContainerSummary {
  kind: 'container'
  id: string
  name: string
  image: string
  imageId: string
  created: string
  state: {status: string; running: boolean; exitCode: number; startedAt: string; finishedAt: string; error: string}
  cmd: string[] | null
  entrypoint: string[] | null
  env: string[]
  workingDir: string
  user: string
  /** "80/tcp -> 0.0.0.0:32768" per published binding; "80/tcp" when exposed but not published. */
  ports: string[]
  /** `--link` entries as "/db:/web/db". */
  links: string[]
  mounts: string[]
  networks: Record<string, string>
  labels: Record<string, string>
}

export function summariseContainer(raw: Dockerode.ContainerInspectInfo): ContainerSummary {
  const ports: string[] = []
  for (const [port, bindings] of Object.entries(raw.NetworkSettings?.Ports ?? {})) {
    if (!bindings || bindings.length === 0) ports.push(port)
    else for (const b of bindings) ports.push(`${port} -> ${b.HostIp || '0.0.0.0'}:${b.HostPort}`)
  }
  const networks: Record<string, string> = {}
  for (const [name, net] of Object.entries(raw.NetworkSettings?.Networks ?? {})) networks[name] = (net as {IPAddress?: string}).IPAddress ?? ''
  return {
    kind: 'container',
    id: raw.Id,
    name: raw.Name.replace(/^\//, ''),
    image: raw.Config?.Image ?? '',
    imageId: raw.Image,
    created: raw.Created,
    state: {
      status: raw.State.Status,
      running: raw.State.Running,
      exitCode: raw.State.ExitCode,
      startedAt: raw.State.StartedAt,
      finishedAt: raw.State.FinishedAt,
      error: raw.State.Error ?? '',
    },
    cmd: asList(raw.Config?.Cmd),
    entrypoint: asList(raw.Config?.Entrypoint as string[] | string | undefined),
    env: raw.Config?.Env ?? [],
    workingDir: raw.Config?.WorkingDir ?? '',
    user: raw.Config?.User ?? '',
    ports,
    links: (raw.HostConfig as {Links?: string[] | null})?.Links ?? [],
    mounts: (raw.Mounts ?? []).map((m) => `${m.Source || m.Name || ''}:${m.Destination}${m.RW === false ? ':ro' : ''}`),
    networks,
    labels: raw.Config?.Labels ?? {},
  }
}

function asList(value: string[] | string | null | undefined): string[] | null {
  if (value === null || value === undefined) return null
  return Array.isArray(value) ? value : [value]
}

export type InspectType = 'container' | 'image'

export interface InspectResult {
  kind: InspectType
  raw: Dockerode.ImageInspectInfo | Dockerode.ContainerInspectInfo
  summary: ImageSummary | ContainerSummary
}

/**
 * Inspect a name or id that may be a container or an image. Like `docker inspect`, containers are
 * tried first; `type` restricts the search.
 */
export async function inspectObject(engine: Engine, name: string, type?: InspectType): Promise<InspectResult> {
  if (type !== 'image') {
    try {
      const raw = await engine.http.json<Dockerode.ContainerInspectInfo>({path: `/containers/${pathPart(name)}/json`})
      return {kind: 'container', raw, summary: summariseContainer(raw)}
    } catch (error) {
      if ((error as {statusCode?: number}).statusCode !== 404) throw apiError(error, {action: `inspect ${name}`, address: engine.address})
      if (type === 'container') throw apiError(error, {action: `inspect container ${name}`, subject: `container: ${name}`, address: engine.address})
    }
  }
  try {
    const raw = await engine.http.json<Dockerode.ImageInspectInfo>({path: `/images/${pathPart(name)}/json`})
    return {kind: 'image', raw, summary: summariseImage(raw)}
  } catch (error) {
    if ((error as {statusCode?: number}).statusCode !== 404) throw apiError(error, {action: `inspect ${name}`, address: engine.address})
    throw new NotFoundError(type === 'image' ? `No such image: ${name}` : `No such image or container: ${name}`, {
      hint: '`dk images` lists the images and `dk ps -a` the containers that exist.',
    })
  }
}

/** `docker tag SOURCE TARGET`. */
export async function tagImage(engine: Engine, source: string, target: string): Promise<{source: string; target: string; id: string}> {
  const {repository, tag} = validateTagReference(target)
  const image = await inspectImageRaw(engine, source)
  try {
    await engine.http.json({method: 'POST', path: `/images/${pathPart(image.Id)}/tag`, query: {repo: repository, tag}})
  } catch (error) {
    throw apiError(error, {action: `tag ${source} as ${target}`, address: engine.address})
  }
  return {source, target: `${repository}:${tag}`, id: image.Id}
}

export interface RemoveResult {
  name: string
  /** "Untagged: x" / "Deleted: sha256:…" lines, in the engine's order. */
  untagged: string[]
  deleted: string[]
  error?: {message: string; code: string; exitCode: number; hint?: string}
}

/**
 * `docker rmi`: remove each image, going on after a failure (as docker does) and reporting each one.
 * Untagged parent images go with their child, unless they are used elsewhere.
 */
export async function removeImages(engine: Engine, names: string[], options: {force?: boolean} = {}): Promise<RemoveResult[]> {
  const results: RemoveResult[] = []
  for (const name of names) {
    try {
      const items = (await engine.http.json<Array<{Untagged?: string; Deleted?: string}>>({method: 'DELETE', path: `/images/${pathPart(name)}`, query: {force: options.force ?? false}})) ?? []
      results.push({
        name,
        untagged: items.flatMap((i) => (i.Untagged ? [i.Untagged] : [])),
        deleted: items.flatMap((i) => (i.Deleted ? [i.Deleted] : [])),
      })
    } catch (error) {
      const mapped: DkError = apiError(error, {action: `remove image ${name}`, subject: `image: ${name}`, address: engine.address})
      const conflict = (error as {statusCode?: number}).statusCode === 409
      results.push({
        name,
        untagged: [],
        deleted: [],
        error: {
          message: mapped.message,
          code: mapped.code,
          exitCode: mapped.exitCode,
          hint: conflict ? 'A container uses it (`dk ps -a`): remove the container first, or force with -f.' : mapped.hint,
        },
      })
      if (mapped.exitCode === 3) throw mapped
    }
  }
  return results
}

export interface HistoryRow {
  /** Full id, or "<missing>" for layers that came from elsewhere (docker's wording). */
  id: string
  created: string
  createdBy: string
  size: number
  comment: string
  tags: string[]
}

/** `docker history IMAGE`: newest layer first. */
export async function imageHistory(engine: Engine, name: string): Promise<HistoryRow[]> {
  let history: Array<{Id: string; Created: number; CreatedBy: string; Size: number; Comment: string; Tags: string[] | null}>
  try {
    history = await engine.http.json<typeof history>({path: `/images/${pathPart(name)}/history`})
  } catch (error) {
    throw apiError(error, {action: `read the history of ${name}`, subject: `image: ${name}`, address: engine.address})
  }
  return history.map((h) => ({id: h.Id, created: new Date(h.Created * 1000).toISOString(), createdBy: h.CreatedBy, size: h.Size, comment: h.Comment, tags: h.Tags ?? []}))
}

/** Docker's truncation of long cells: at most `width` characters, the last one an ellipsis. */
export function ellipsis(text: string, width: number): string {
  const chars = [...text]
  if (chars.length <= width) return text
  return `${chars.slice(0, width - 1).join('')}…`
}

