import {gzipSync} from 'node:zlib'

import {describe, expect, it} from 'vitest'

import {checkLooksLikeTar} from '../../../src/engine/archive.js'

/** A minimal tar header block: name, then "ustar" at offset 257. */
function tarHeader(name = 'manifest.json'): Buffer {
  const block = Buffer.alloc(512)
  block.write(name, 0, 'latin1')
  block.write('ustar\u000000', 257, 'latin1')
  return block
}

describe('load refuses what is not an image archive before sending it', () => {
  it('accepts a tar and a gzip of a tar', async () => {
    await expect(checkLooksLikeTar(tarHeader(), 'none', 'a.tar')).resolves.toBeUndefined()
    const gz = gzipSync(Buffer.concat([tarHeader(), Buffer.alloc(4096)])).subarray(0, 1024)
    await expect(checkLooksLikeTar(gz, 'gzip', 'a.tar.gz')).resolves.toBeUndefined()
  })

  it.each([
    [Buffer.from('BZh91AY&SY' + 'x'.repeat(600)), 'a bzip2 file'],
    [Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(600)]), 'an xz file'],
    [Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(600)]), 'a zip file'],
    [Buffer.from('hello, these are notes\n'.repeat(40)), 'a text file'],
  ])('names the kind of a foreign file (%#)', async (head, kind) => {
    await expect(checkLooksLikeTar(head, 'none', 'x.bin')).rejects.toMatchObject({exitCode: 1, code: 'ARCHIVE_FOREIGN', message: `x.bin is not an image archive (it looks like ${kind}).`})
  })

  it('refuses an empty file, a short file and a gzip of something else', async () => {
    await expect(checkLooksLikeTar(Buffer.alloc(0), 'none', 'e.tar')).rejects.toMatchObject({code: 'ARCHIVE_DAMAGED', message: 'e.tar is empty.'})
    await expect(checkLooksLikeTar(Buffer.from([0, 1, 2]), 'none', 's.tar')).rejects.toThrow('s.tar is not an image archive (it is shorter than one tar header).')
    const gzText = gzipSync(Buffer.from('plain words\n'.repeat(100)))
    await expect(checkLooksLikeTar(gzText, 'gzip', 't.gz')).rejects.toThrow('t.gz is not an image archive (it looks like a text file).')
    const badGzip = Buffer.from([0x1f, 0x8b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    await expect(checkLooksLikeTar(badGzip, 'gzip', 'b.gz')).rejects.toThrow('b.gz is not a valid gzip file.')
  })
})
