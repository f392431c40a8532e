/**
 * Read an image archive made by `docker save` / `dk save` (plain or gzip) as a stream: the manifest,
 * the names of all entries, and the sha256 of each config blob, computed while the bytes pass. A
 * 1 GB archive is never held in memory; only manifest.json is buffered.
 *
 * Exercises 11 and 13 use it; it belongs in the exercise kit (src/exercises) once it moves there.
 */
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {open} from 'node:fs/promises'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'

export interface ManifestEntry {
  Config: string
  RepoTags: string[] | null
  Layers: string[]
}

export interface ImageArchive {
  gzip: boolean
  manifest?: ManifestEntry[]
  entries: Set<string>
  /** sha256 (hex) of every entry that can be a config: `<hex>.json` (legacy) or `blobs/sha256/<hex>` (OCI). */
  digests: Map<string, string>
}

const CONFIG_NAME = /^(?:[0-9a-f]{64}\.json|blobs\/sha256\/[0-9a-f]{64})$/

export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

export async function readImageArchive(file: string): Promise<ImageArchive> {
  const gzip = await isGzip(file)
  const tar = await import('tar-stream')
  const extract = tar.extract()
  const result: ImageArchive = {gzip, entries: new Set(), digests: new Map()}
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '')
    result.entries.add(name)
    const isManifest = name === 'manifest.json'
    const hash = CONFIG_NAME.test(name) ? createHash('sha256') : undefined
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => {
      hash?.update(chunk)
      if (isManifest) chunks.push(chunk)
    })
    stream.on('end', () => {
      if (hash) result.digests.set(name, hash.digest('hex'))
      if (isManifest) {
        try {
          result.manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ManifestEntry[]
        } catch {
          result.manifest = undefined
        }
      }
      next()
    })
    stream.resume()
  })
  const source = createReadStream(file)
  if (gzip) await pipeline(source, createGunzip(), extract)
  else await pipeline(source, extract)
  return result
}

/** The image id (sha256:…) the archive's config for `tag` claims, or a reason why there is none. */
export function configIdFor(archive: ImageArchive, tag: string): {id: string; entry: ManifestEntry} | {problem: string} {
  if (!archive.manifest) return {problem: 'it has no (readable) manifest.json, so it is not an image archive from `save`. A file from `export` holds a container\'s files, without image config or tags'}
  const entry = archive.manifest.find((m) => (m.RepoTags ?? []).includes(tag))
  if (!entry) {
    const tags = archive.manifest.flatMap((m) => m.RepoTags ?? [])
    return {problem: `its manifest.json has no image tagged ${tag} (tags: ${tags.length ? tags.join(', ') : 'none, saved by id?'})`}
  }
  const configName = entry.Config.replace(/^\.\//, '')
  const digest = archive.digests.get(configName)
  if (!digest) return {problem: `the config ${entry.Config} named in manifest.json is missing`}
  // Legacy archives name the config after its own digest; a mismatch means the file was altered.
  const claimed = /([0-9a-f]{64})(?:\.json)?$/.exec(configName)?.[1]
  if (claimed && claimed !== digest) return {problem: `the config ${configName} does not match its own digest (the file is damaged)`}
  const missing = entry.Layers.filter((layer) => !archive.entries.has(layer.replace(/^\.\//, '')))
  if (missing.length > 0) return {problem: `layers named in manifest.json are missing: ${missing.join(', ')}`}
  return {id: `sha256:${digest}`, entry}
}
