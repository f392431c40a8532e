/**
 * Tar headers byte for byte as Go's `archive/tar` writes them for the docker CLI (go-archive sets
 * `Format = PAX`, whole-second mtimes, no atime/ctime, uid/gid 0, empty uname/gname).
 *
 * Go picks USTAR whenever every field fits (ASCII name of ≤ 100 bytes, or one that splits into
 * prefix/name at a `/`; ASCII link name ≤ 100; size < 8 GiB; 0 ≤ mtime < 8^11), and otherwise
 * writes a PAX extended header (`path`, `linkpath`, `size`, `mtime` records, sorted) followed by a
 * main header whose string fields hold the ASCII-only remains. tar-stream formats several fields
 * differently (checksum, device fields, PAX header names), hence this encoder.
 */

export const BLOCK = 512

export type TarTypeflag = '0' | '1' | '2' | '3' | '4' | '5' | '6'

export interface TarHeaderFields {
  /** Name inside the archive; directories end with `/`. */
  name: string
  /** Permission bits plus setuid/setgid/sticky, no file-type bits. */
  mode: number
  /** Content size in bytes (0 for everything but regular files). */
  size: number
  /** Modification time in whole seconds since the epoch. */
  mtime: number
  typeflag: TarTypeflag
  linkname?: string
  devmajor?: number
  devminor?: number
}

const NAME_SIZE = 100
const PREFIX_SIZE = 155

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80 || c === 0) return false
  }
  return true
}

/** Go's toASCII: drop every non-ASCII rune (and NUL). */
function toAscii(s: string): string {
  if (isAscii(s)) return s
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) as number
    if (c < 0x80 && c !== 0) out += ch
  }
  return out
}

function fitsInOctal(width: number, x: number): boolean {
  return x >= 0 && x < 8 ** (width - 1)
}

/** Go's formatter.formatString (ASCII input), including the trailing-slash quirk. */
function putString(block: Buffer, offset: number, width: number, s: string): void {
  // Written in place: one small Buffer per field would dominate the GC time of a large context.
  block.write(s, offset, Math.min(s.length, width), 'latin1')
  if (s.length < width) block[offset + s.length] = 0
  if (s.length > width && block[offset + width - 1] === 0x2f) {
    const kept = s.slice(0, width).replace(/\/+$/, '').length
    block[offset + kept] = 0
  }
}

/** Go's formatter.formatOctal: zero-padded octal with a NUL, or 0 when it doesn't fit. */
function putOctal(block: Buffer, offset: number, width: number, value: number): void {
  const x = fitsInOctal(width, value) ? value : 0
  let s = x.toString(8)
  if (width - s.length - 1 > 0) s = '0'.repeat(width - s.length - 1) + s
  putString(block, offset, width, s)
}

function setUstarMagicAndChecksum(block: Buffer): void {
  block.write('ustar\u0000', 257, 'latin1')
  block.write('00', 263, 'latin1')
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]
  putOctal(block, 148, 7, sum)
  block[155] = 0x20
}

/** Go's splitUSTARPath. */
function splitUstarPath(s: string): {prefix: string; name: string} | undefined {
  let length = s.length
  if (length <= NAME_SIZE || !isAscii(s)) return undefined
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1
  else if (s[length - 1] === '/') length--
  const i = s.lastIndexOf('/', length - 1)
  const nlen = s.length - i - 1
  if (i <= 0 || nlen > NAME_SIZE || nlen === 0 || i > PREFIX_SIZE) return undefined
  return {prefix: s.slice(0, i), name: s.slice(i + 1)}
}

function templateV7Plus(h: TarHeaderFields, name: string, linkname: string, into?: Buffer): Buffer {
  const block = into ?? Buffer.alloc(BLOCK)
  block[156] = h.typeflag.charCodeAt(0)
  putString(block, 0, 100, name)
  putString(block, 157, 100, linkname)
  putOctal(block, 100, 8, h.mode)
  putOctal(block, 108, 8, 0)
  putOctal(block, 116, 8, 0)
  putOctal(block, 124, 12, h.size)
  putOctal(block, 136, 12, h.mtime)
  putString(block, 265, 32, '')
  putString(block, 297, 32, '')
  putOctal(block, 329, 8, h.devmajor ?? 0)
  putOctal(block, 337, 8, h.devminor ?? 0)
  return block
}

/** Go's formatPAXRecord: "<len> key=value\n" where len counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  const bodyLength = Buffer.byteLength(body)
  let size = bodyLength + String(bodyLength).length
  if (String(size).length + bodyLength !== size) size = String(size).length + bodyLength
  return `${size}${body}`
}

/**
 * Write a USTAR-only header straight into `target` at `offset` (no allocation per entry) and return
 * true; return false, writing nothing, when the entry needs PAX records (then use encodeHeader).
 */
export function encodeUstarInto(h: TarHeaderFields, target: Buffer, offset: number): boolean {
  const linkname = h.linkname ?? ''
  const split = h.name.length > NAME_SIZE || !isAscii(h.name) ? splitUstarPath(h.name) : undefined
  if ((h.name.length > NAME_SIZE || !isAscii(h.name)) && !split) return false
  if (!isAscii(linkname) || linkname.length > NAME_SIZE || !fitsInOctal(12, h.size) || !fitsInOctal(12, h.mtime)) return false
  if (offset + BLOCK > target.length) return false
  const block = target.subarray(offset, offset + BLOCK)
  block.fill(0)
  templateV7Plus(h, split ? split.name : h.name, linkname, block)
  putString(block, 345, 155, split ? split.prefix : '')
  setUstarMagicAndChecksum(block)
  return true
}

/** The blocks that precede an entry's data: one USTAR header, or a PAX header + its data + the main header. */
export function encodeHeader(h: TarHeaderFields): Buffer {
  const linkname = h.linkname ?? ''
  const records: Record<string, string> = {}
  let ustar = true
  const nameTooLong = Buffer.byteLength(h.name) > NAME_SIZE
  if (!isAscii(h.name) || nameTooLong) {
    if (!splitUstarPath(h.name)) ustar = false
    records.path = h.name
  }
  if (!isAscii(linkname) || Buffer.byteLength(linkname) > NAME_SIZE) {
    ustar = false
    records.linkpath = linkname
  }
  if (!fitsInOctal(12, h.size)) {
    ustar = false
    records.size = String(h.size)
  }
  if (!fitsInOctal(12, h.mtime)) {
    ustar = false
    records.mtime = String(h.mtime)
  }

  if (ustar) {
    const split = splitUstarPath(h.name)
    const block = templateV7Plus(h, split ? split.name : h.name, linkname)
    putString(block, 345, 155, split ? split.prefix : '')
    setUstarMagicAndChecksum(block)
    return block
  }

  const data = Buffer.from(
    Object.keys(records)
      .sort()
      .map((k) => paxRecord(k, records[k]))
      .join(''),
    'utf8',
  )
  const paxBlock = Buffer.alloc(BLOCK)
  paxBlock[156] = 'x'.charCodeAt(0)
  putString(paxBlock, 0, 100, paxHeaderName(h.name))
  putOctal(paxBlock, 100, 8, 0)
  putOctal(paxBlock, 108, 8, 0)
  putOctal(paxBlock, 116, 8, 0)
  putOctal(paxBlock, 124, 12, data.length)
  putOctal(paxBlock, 136, 12, 0)
  setUstarMagicAndChecksum(paxBlock)

  const main = templateV7Plus(h, toAscii(h.name), toAscii(linkname))
  setUstarMagicAndChecksum(main)
  return Buffer.concat([paxBlock, data, Buffer.alloc(padding(data.length)), main])
}

/** `path.Join(dir, "PaxHeaders.0", file)`, ASCII-only, cut to 100 bytes, trailing `/` removed. */
function paxHeaderName(name: string): string {
  const slash = name.lastIndexOf('/')
  const dir = name.slice(0, slash + 1)
  const file = name.slice(slash + 1)
  const joined = [dir, 'PaxHeaders.0', file].filter((part) => part !== '').join('/')
  let result = toAscii(cleanSlashes(joined))
  if (result.length > NAME_SIZE) result = result.slice(0, NAME_SIZE)
  return result.replace(/\/+$/, '')
}

function cleanSlashes(p: string): string {
  return p.replace(/\/{2,}/g, '/').replace(/\/$/, '')
}

/** Zero bytes that pad `size` up to a whole block. */
export function padding(size: number): number {
  const rest = size % BLOCK
  return rest === 0 ? 0 : BLOCK - rest
}

/** The end-of-archive marker Go's tar.Writer.Close writes: two zero blocks, no record padding. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK)

/** How many bytes an entry occupies in the archive (headers + data + padding). */
export function entryArchiveSize(h: TarHeaderFields): number {
  const dataSize = h.typeflag === '0' ? h.size : 0
  return encodeHeader(h).length + dataSize + padding(dataSize)
}
