/**
 * build-context.md §6 (headers): dk's encoder against header blocks recorded from the docker CLI,
 * plus the USTAR/PAX decisions of Go's archive/tar.
 */
import {describe, expect, it} from 'vitest'

import {encodeHeader, entryArchiveSize, padding} from '../../../src/context/tar-header.js'
import {dockerGolden} from './docker-golden.js'

const mtime = 1_795_618_971

function checksumOk(block: Buffer): boolean {
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]
  return Number.parseInt(block.subarray(148, 155).toString('latin1'), 8) === sum
}

describe('tar headers as the docker CLI writes them', () => {
  it('matches a recorded hard link header (typeflag 1, size 0, uid/gid 0, empty names)', () => {
    const h = encodeHeader({name: 'hard', mode: 0o644, size: 0, mtime, typeflag: '1', linkname: 'b.txt'})
    expect(h.toString('hex')).toBe(dockerGolden.hard)
  })

  it('matches a recorded directory header (trailing slash, typeflag 5)', () => {
    expect(encodeHeader({name: 'src/', mode: 0o755, size: 0, mtime, typeflag: '5'}).toString('hex')).toBe(dockerGolden['src/'])
  })

  it('matches a recorded symlink header (raw target, mode 0777)', () => {
    expect(encodeHeader({name: 'link', mode: 0o777, size: 0, mtime, typeflag: '2', linkname: '../outside'}).toString('hex')).toBe(dockerGolden.link)
  })

  it('matches a recorded regular file header', () => {
    expect(encodeHeader({name: 'b.txt', mode: 0o644, size: 2, mtime, typeflag: '0'}).toString('hex')).toBe(dockerGolden['b.txt'])
  })

  it('matches recorded PAX headers for non-ASCII names (PaxHeaders.0, ASCII-only remains)', () => {
    expect(encodeHeader({name: 'ünï/', mode: 0o755, size: 0, mtime, typeflag: '5'}).toString('hex')).toBe(dockerGolden['n/#pax'])
    expect(encodeHeader({name: 'ünï/😀.txt', mode: 0o644, size: 2, mtime, typeflag: '0'}).toString('hex')).toBe(dockerGolden['n/.txt#pax'])
  })

  it('splits a long ASCII name into prefix and name instead of using PAX', () => {
    const name = `${'d'.repeat(60)}/${'e'.repeat(60)}/file.txt`
    const h = encodeHeader({name, mode: 0o644, size: 1, mtime, typeflag: '0'})
    expect(h.length).toBe(512)
    // Go splits at the last `/` that leaves a prefix of at most 155 bytes.
    expect(h.subarray(0, 100).toString('latin1').replace(/\0+$/, '')).toBe('file.txt')
    expect(h.subarray(345, 500).toString('latin1').replace(/\0+$/, '')).toBe(`${'d'.repeat(60)}/${'e'.repeat(60)}`)
    expect(checksumOk(h)).toBe(true)
  })

  it('uses a PAX path record when a long name cannot be split', () => {
    const name = 'g'.repeat(120)
    const h = encodeHeader({name, mode: 0o644, size: 1, mtime, typeflag: '0'})
    expect(h.length).toBe(512 * 3)
    expect(h[156]).toBe('x'.charCodeAt(0))
    expect(h.subarray(512, 1024).toString('utf8')).toContain(`130 path=${name}\n`)
    expect(h.subarray(1024, 1124).toString('latin1')).toBe('g'.repeat(100))
    expect(checksumOk(h.subarray(0, 512))).toBe(true)
    expect(checksumOk(h.subarray(1024))).toBe(true)
  })

  it('uses a PAX linkpath record for a long symlink target, and PAX size beyond 8 GiB', () => {
    const link = encodeHeader({name: 'l', mode: 0o777, size: 0, mtime, typeflag: '2', linkname: 'x'.repeat(150)})
    expect(link.subarray(512, 1024).toString('utf8')).toContain(`linkpath=${'x'.repeat(150)}`)
    const big = encodeHeader({name: 'big', mode: 0o644, size: 9 * 1024 ** 3, mtime, typeflag: '0'})
    expect(big.subarray(512, 1024).toString('utf8')).toContain(`size=${9 * 1024 ** 3}\n`)
    // the main header's size field is written as zero when it does not fit
    expect(big.subarray(1024 + 124, 1024 + 136).toString('latin1')).toBe('00000000000\0')
  })

  it('keeps setuid/setgid/sticky bits and writes whole-second octal mtimes', () => {
    const h = encodeHeader({name: 'tmp/', mode: 0o1777, size: 0, mtime: 0o17, typeflag: '5'})
    expect(h.subarray(100, 108).toString('latin1')).toBe('0001777\0')
    expect(h.subarray(136, 148).toString('latin1')).toBe('00000000017\0')
  })

  it('pads data to 512-byte blocks and sizes entries', () => {
    expect(padding(0)).toBe(0)
    expect(padding(1)).toBe(511)
    expect(padding(512)).toBe(0)
    expect(entryArchiveSize({name: 'a', mode: 0o644, size: 513, mtime, typeflag: '0'})).toBe(512 + 1024)
    expect(entryArchiveSize({name: 'h', mode: 0o644, size: 0, mtime, typeflag: '1', linkname: 'a'})).toBe(512)
  })
})
