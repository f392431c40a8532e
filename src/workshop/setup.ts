/**
 * `dk setup`: the workshop's base images, made on this machine because no registry can be assumed.
 *
 * - `busybox:latest` from the host's static busybox (installed with apt when root and missing);
 * - `debian:bookworm` (opt-in, ~40 s and ~200 MB) from `debootstrap --variant=minbase bookworm`.
 *
 * Images dk made carry `io.dk.base=local`. An image of the same name without that label came from
 * a registry or from the user: dk never replaces it. Running setup twice changes nothing the second
 * time. `--pull` (only when asked) pulls the missing ones from a registry instead.
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Readable} from 'node:stream'

import {DkError, InterruptedError, WorkFailedError} from '../cli/errors.js'
import type {Engine} from '../engine/connect.js'
import {apiError} from '../engine/errors.js'
import {Label} from '../engine/labels.js'
import {busyboxRootfsTar, findStaticBusybox} from './busybox-rootfs.js'
import {importRootfs} from './import.js'

export type BaseImageKind = 'busybox' | 'debian'

export interface BaseImage {
  kind: BaseImageKind
  ref: string
  /** Why the workshop needs it. */
  purpose: string
  /** Made only with --debian (or when an exercise asks for it). */
  optIn: boolean
}

export const BASE_IMAGES: BaseImage[] = [
  {kind: 'busybox', ref: 'busybox:latest', purpose: 'the base of most exercises and of dk doctor\'s port probe', optIn: false},
  {kind: 'debian', ref: 'debian:bookworm', purpose: 'the memcached exercise and the memcached template (apt-get)', optIn: true},
]

export type SetupStatus = 'created' | 'recreated' | 'present' | 'kept' | 'pulled' | 'skipped'

export interface SetupItem {
  image: string
  status: SetupStatus
  id?: string
  /** What happened, in words. */
  detail: string
  durationMs: number
}

export interface SetupOptions {
  debian?: boolean
  pull?: boolean
  /** Re-make images that dk made before (never others). */
  rebuild?: boolean
  /** Which images to consider (default BASE_IMAGES); tests pass their own names. */
  images?: BaseImage[]
  mirror?: string
  signal?: AbortSignal
  /** Phase messages ("installing busybox-static", "debootstrap: Retrieving …"). */
  onPhase?: (image: string, message: string) => void
  onBytes?: (image: string, bytes: number) => void
}

export interface ImageState {
  exists: boolean
  id?: string
  madeByDk: boolean
}

export async function imageState(engine: Engine, ref: string): Promise<ImageState> {
  try {
    const info = await engine.docker.getImage(ref).inspect()
    return {exists: true, id: info.Id, madeByDk: info.Config?.Labels?.[Label.base] === 'local'}
  } catch (error) {
    if ((error as {statusCode?: number}).statusCode === 404) return {exists: false, madeByDk: false}
    throw apiError(error, {action: `inspect image ${ref}`, address: engine.address})
  }
}

export async function setupBaseImages(engine: Engine, options: SetupOptions = {}): Promise<SetupItem[]> {
  const items: SetupItem[] = []
  for (const image of options.images ?? BASE_IMAGES) {
    const started = Date.now()
    const done = (status: SetupStatus, detail: string, id?: string) => items.push({image: image.ref, status, id, detail, durationMs: Date.now() - started})
    if (image.optIn && !options.debian) {
      const state = await imageState(engine, image.ref)
      if (state.exists) done('present', state.madeByDk ? 'already made by dk' : 'already present (not made by dk; left untouched)', state.id)
      else done('skipped', 'not requested (add --debian to make it, ~40 s)')
      continue
    }
    const state = await imageState(engine, image.ref)
    if (state.exists && !state.madeByDk) {
      done('kept', 'present from a registry or another source; dk never replaces it', state.id)
      continue
    }
    if (state.exists && !options.rebuild) {
      done('present', 'already made by dk; nothing to do', state.id)
      continue
    }
    if (options.pull) {
      const id = await pullImage(engine, image.ref, options)
      done('pulled', 'pulled from the registry (--pull)', id)
      continue
    }
    const id = image.kind === 'busybox' ? await makeBusybox(engine, image.ref, options) : await makeDebian(engine, image.ref, options)
    if (state.exists && state.id && state.id !== id) await engine.docker.getImage(state.id).remove().catch(() => undefined)
    done(state.exists ? 'recreated' : 'created', image.kind === 'busybox' ? 'made from the host\'s static busybox' : 'made with debootstrap --variant=minbase bookworm', id)
  }
  return items
}

function labelChange(source: string): string {
  return `LABEL ${Label.base}=local ${Label.managed}=true io.dk.base.source=${JSON.stringify(source)}`
}

async function makeBusybox(engine: Engine, ref: string, options: SetupOptions): Promise<string> {
  let busybox
  try {
    busybox = findStaticBusybox()
  } catch (error) {
    if (!canInstallPackages()) throw error
    options.onPhase?.(ref, 'installing busybox-static with apt-get')
    installPackages(['busybox-static'])
    busybox = findStaticBusybox()
  }
  options.onPhase?.(ref, `packing ${busybox.path} with ${busybox.applets.length} applets`)
  const version = spawnSync(busybox.path, [], {encoding: 'utf8'}).stdout.split('\n')[0]?.trim() || 'busybox'
  const tar = await busyboxRootfsTar(busybox)
  return importRootfs(engine, tar, {
    ref,
    changes: ['CMD ["sh"]', labelChange(version)],
    onBytes: (n) => options.onBytes?.(ref, n),
    signal: options.signal,
  })
}

async function makeDebian(engine: Engine, ref: string, options: SetupOptions): Promise<string> {
  if (process.platform !== 'linux') {
    throw new DkError('debian:bookworm can only be made on Linux (debootstrap).', {
      hint: 'Load it from your instructor with `dk load -i workshop-images.tar`, or use `dk setup --pull` where a registry is reachable.',
      exitCode: 1,
    })
  }
  if (!hasCommand('debootstrap')) {
    if (!canInstallPackages()) {
      throw new DkError('debootstrap is not installed.', {hint: 'Install it (`sudo apt-get install debootstrap`) and run `dk setup --debian` again as root.', exitCode: 4, code: 'DEBOOTSTRAP_MISSING'})
    }
    options.onPhase?.(ref, 'installing debootstrap with apt-get')
    installPackages(['debootstrap'])
  }
  if (process.getuid?.() !== 0) {
    throw new DkError('Making debian:bookworm needs root (debootstrap creates device files and sets owners).', {hint: 'Run `sudo dk setup --debian`.', exitCode: 1, code: 'NEEDS_ROOT'})
  }
  const mirror = options.mirror ?? process.env.DK_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian'
  const root = mkdtempSync(join(process.env.DK_TMPDIR ?? tmpdir(), 'dk-debootstrap-'))
  try {
    await runStreaming('debootstrap', ['--variant=minbase', 'bookworm', root, mirror], (line) => {
      const m = /^I: (.*)/.exec(line)
      if (m) options.onPhase?.(ref, `debootstrap: ${m[1]}`)
    }, options.signal)
    options.onPhase?.(ref, 'importing the root filesystem')
    const tarProcess = spawn('tar', ['--numeric-owner', '-C', root, '-cf', '-', '.'], {stdio: ['ignore', 'pipe', 'pipe']})
    const tarExit = new Promise<number>((resolve) => tarProcess.on('close', (code) => resolve(code ?? 1)))
    const id = await importRootfs(engine, tarProcess.stdout as Readable, {
      ref,
      changes: ['CMD ["bash"]', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', labelChange(`debootstrap --variant=minbase bookworm ${mirror}`)],
      onBytes: (n) => options.onBytes?.(ref, n),
      signal: options.signal,
    })
    if ((await tarExit) !== 0) throw new WorkFailedError(`Packing the Debian root filesystem failed (tar exited ${await tarExit}).`)
    return id
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}

async function pullImage(engine: Engine, ref: string, options: SetupOptions): Promise<string> {
  options.onPhase?.(ref, 'pulling from the registry')
  let stream: NodeJS.ReadableStream
  try {
    stream = await engine.docker.pull(ref, {abortSignal: options.signal})
  } catch (error) {
    throw new WorkFailedError(`Cannot pull ${ref}: ${(error as Error).message}`, {hint: 'No registry is reachable? Run `dk setup` without --pull to make the image locally.', cause: error})
  }
  await new Promise<void>((resolve, reject) => {
    engine.docker.modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) => {
      const failed = output?.find((l) => l.error)
      if (error || failed) reject(new WorkFailedError(`Cannot pull ${ref}: ${error?.message ?? failed?.error}`, {hint: 'Run `dk setup` without --pull to make the image locally.'}))
      else resolve()
    })
  })
  return (await engine.docker.getImage(ref).inspect()).Id
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'}).status === 0
}

function canInstallPackages(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && hasCommand('apt-get')
}

function installPackages(packages: string[]): void {
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  let result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {env, encoding: 'utf8'})
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], {env})
    result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {env, encoding: 'utf8'})
  }
  if (result.status !== 0) {
    throw new DkError(`apt-get could not install ${packages.join(', ')}: ${result.stderr.trim().split('\n').pop()}`, {hint: `Install ${packages.join(' ')} by hand and run dk setup again.`})
  }
}

function runStreaming(command: string, args: string[], onLine: (line: string) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], signal})
    const tail: string[] = []
    let rest = ''
    const feed = (chunk: Buffer) => {
      rest += chunk.toString('utf8')
      const lines = rest.split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) {
        tail.push(line)
        if (tail.length > 15) tail.shift()
        onLine(line)
      }
    }
    child.stdout.on('data', feed)
    child.stderr.on('data', feed)
    child.on('error', (error) => reject((error as Error).name === 'AbortError' ? new InterruptedError() : error))
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new WorkFailedError(`${command} failed (exit ${code}).`, {hint: `Its last lines:\n${tail.join('\n')}`}))
    })
  })
}
