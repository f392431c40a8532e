/**
 * The build-context tar as a stream, byte for byte what the docker CLI uploads.
 *
 * A pull-based Readable: each `_read` walks and reads just enough entries to fill a ~1 MiB chunk,
 * so memory stays flat (one chunk in flight plus the walk's directory stack) and a slow consumer
 * (the engine socket) pauses the walk through ordinary back-pressure. Files are opened with
 * O_NOFOLLOW: an entry that was a regular file at lstat time and is a symlink by the time it is
 * read fails the stream instead of reading outside the context.
 *
 * Injected Dockerfile (outside the context, or stdin): like the docker CLI, `.dockerignore` is
 * rewritten in place (original bytes + `\n.dockerfile.<hex>\n`, or a new 0600 file stamped "now" when there
 * was none) and the Dockerfile is appended as `.dockerfile.<hex>` (0600, mtime now). Docker's stream then
 * ends right after the last file's data (its pipe closes before the tar writer: no padding, no
 * end-of-archive blocks); the daemon accepts that. `terminate: true` writes a well-formed archive instead.
 */
import {closeSync, constants as fsConstants, openSync, readFileSync, readSync} from 'node:fs'
import {Readable} from 'node:stream'

import {DkError, InterruptedError, WorkFailedError} from '../cli/errors.js'
import type {ContextPlan} from './plan.js'
import {patternError} from './plan.js'
import {PatternSyntaxError} from './pattern-matcher.js'
import {BLOCK, encodeHeader, encodeUstarInto, END_OF_ARCHIVE, padding, type TarHeaderFields} from './tar-header.js'
import {type ContextEntry, typeflagOf, type WalkWarning, walkContext} from './walk.js'

export interface PackOptions {
  signal?: AbortSignal
  /** Entries Docker would log and skip (unreadable directories inside a pruned-in subtree, …). */
  onWarning?: (warning: WalkWarning) => void
  /** For an injected Dockerfile: end with padding and end-of-archive blocks (Docker's stream has neither). */
  terminate?: boolean
}

const CHUNK = 1 << 20

interface OpenFile {
  fd: number
  remaining: number
  size: number
  path: string
}

/** Header fields of a walked entry, as go-archive fills them. */
export function headerOf(entry: ContextEntry): TarHeaderFields {
  return {
    name: entry.type === 'dir' ? `${entry.path}/` : entry.path,
    mode: entry.mode,
    size: entry.type === 'file' ? entry.size : 0,
    mtime: entry.mtime,
    typeflag: typeflagOf(entry.type),
    linkname: entry.linkTarget ?? '',
    devmajor: entry.devmajor ?? 0,
    devminor: entry.devminor ?? 0,
  }
}

class ContextTarStream extends Readable {
  private walk: Generator<ContextEntry> | undefined
  private chunk = Buffer.allocUnsafe(CHUNK)
  private used = 0
  private file: OpenFile | undefined
  private finished = false
  private sawDockerignore = false
  /** Bytes that still have to go out after the walk (injected entries), already encoded. */
  private tail: Buffer[] | undefined
  bytes = 0

  constructor(
    private readonly plan: ContextPlan,
    private readonly options: PackOptions,
  ) {
    super({highWaterMark: CHUNK})
    options.signal?.addEventListener('abort', () => this.destroy(new InterruptedError('Packing the build context was interrupted.')), {once: true})
  }

  _read(): void {
    try {
      this.pump()
    } catch (error) {
      this.destroy(asDkError(error))
    }
  }

  _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.file) {
      closeSync(this.file.fd)
      this.file = undefined
    }
    this.walk?.return(undefined)
    callback(error)
  }

  private pump(): void {
    if (this.finished) return
    this.walk ??= walkContext(this.plan.dir, this.plan.matcher, {onWarning: this.options.onWarning})
    for (;;) {
      if (this.file) {
        this.readFileData()
      } else if (this.tail) {
        for (const part of this.tail) this.append(part)
        this.tail = []
        this.flush(true)
        this.finished = true
        this.push(null)
        return
      } else {
        const next = this.walk.next()
        if (next.done) this.startTail()
        else this.startEntry(next.value)
      }
      if (this.used >= CHUNK && !this.flush(false)) return
    }
  }

  /** Hand the filled part of the chunk to the consumer; false when it asks us to wait. */
  private flush(force: boolean): boolean {
    if (this.used === 0 || (!force && this.used < CHUNK)) return true
    const out = this.chunk.subarray(0, this.used)
    this.bytes += this.used
    this.chunk = Buffer.allocUnsafe(CHUNK)
    this.used = 0
    return this.push(out)
  }

  private append(data: Buffer): void {
    let offset = 0
    while (offset < data.length) {
      if (this.used === CHUNK) this.flush(true)
      const n = Math.min(data.length - offset, CHUNK - this.used)
      data.copy(this.chunk, this.used, offset, offset + n)
      this.used += n
      offset += n
    }
  }

  private appendZeros(count: number): void {
    let left = count
    while (left > 0) {
      if (this.used === CHUNK) this.flush(true)
      const n = Math.min(left, CHUNK - this.used)
      this.chunk.fill(0, this.used, this.used + n)
      this.used += n
      left -= n
    }
  }

  private startEntry(entry: ContextEntry): void {
    if (this.plan.injectedName && entry.path === '.dockerignore') {
      this.sawDockerignore = true
      if (entry.type !== 'file') {
        throw new WorkFailedError('.dockerignore must be a regular file when the Dockerfile comes from outside the context or stdin.', {
          hint: 'Docker rewrites .dockerignore in that case and fails too; replace the link with a file.',
        })
      }
      const content = Buffer.concat([readRegularFile(entry.absPath), Buffer.from(`\n${this.plan.injectedName}\n`)])
      this.append(encodeHeader({...headerOf(entry), size: content.length}))
      this.append(content)
      this.appendZeros(padding(content.length))
      return
    }
    const header = headerOf(entry)
    if (this.used + BLOCK > CHUNK) this.flush(true)
    if (encodeUstarInto(header, this.chunk, this.used)) this.used += BLOCK
    else this.append(encodeHeader(header))
    if (header.typeflag !== '0' || header.size === 0) return
    let fd: number
    try {
      fd = openSync(entry.absPath, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW)
    } catch (error) {
      throw new WorkFailedError(`Cannot read ${entry.path} while packing the context: ${(error as Error).message}`, {
        hint: 'The file changed or lost its permissions after the context was checked; run the command again.',
        cause: error,
      })
    }
    this.file = {fd, remaining: header.size, size: header.size, path: entry.path}
  }

  private readFileData(): void {
    const file = this.file as OpenFile
    if (this.used === CHUNK) this.flush(true)
    const want = Math.min(file.remaining, CHUNK - this.used)
    const got = readSync(file.fd, this.chunk, this.used, want, null)
    if (got === 0) {
      closeSync(file.fd)
      this.file = undefined
      throw new WorkFailedError(`${file.path} shrank while it was being packed (${file.size - file.remaining} of ${file.size} bytes read).`, {
        hint: 'Something is writing to the context; stop it or exclude the file, then try again.',
      })
    }
    this.used += got
    file.remaining -= got
    if (file.remaining === 0) {
      // A file that grew is cut at its lstat size, as Go's tar writer does.
      closeSync(file.fd)
      this.file = undefined
      this.appendZeros(padding(file.size))
    }
  }

  private startTail(): void {
    const tail: Buffer[] = []
    const name = this.plan.injectedName
    if (name) {
      const content = this.plan.dockerfile.content ?? Buffer.alloc(0)
      const now = Math.round(Date.now() / 1000)
      const parts: Array<{header: TarHeaderFields; data: Buffer}> = [
        {header: {name, mode: 0o600, size: content.length, mtime: now, typeflag: '0'}, data: content},
      ]
      if (!this.sawDockerignore) {
        const data = Buffer.from(`.dockerignore\n${name}\n`)
        parts.push({header: {name: '.dockerignore', mode: 0o600, size: data.length, mtime: now, typeflag: '0'}, data})
      }
      parts.forEach(({header, data}, i) => {
        tail.push(encodeHeader(header), data)
        const last = i === parts.length - 1
        if (!last || this.options.terminate) tail.push(Buffer.alloc(padding(data.length)))
      })
      if (this.options.terminate) tail.push(END_OF_ARCHIVE)
    } else tail.push(END_OF_ARCHIVE)
    this.tail = tail
  }
}

function readRegularFile(path: string): Buffer {
  const fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW)
  try {
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

function asDkError(error: unknown): Error {
  if (error instanceof DkError) return error
  if (error instanceof PatternSyntaxError) return patternError(error) as Error
  return new WorkFailedError(`Packing the build context failed: ${(error as Error)?.message ?? String(error)}`, {cause: error})
}

/** The tar stream exactly as the docker CLI sends it, with back-pressure; errors are DkErrors. */
export function packContext(plan: ContextPlan, options: PackOptions = {}): Readable {
  return new ContextTarStream(plan, options)
}

/** Size of a block, re-exported for callers that compute archive sizes. */
export const TAR_BLOCK = BLOCK
