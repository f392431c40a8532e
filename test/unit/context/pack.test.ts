/** The packer stream: a valid archive, back-pressure with flat memory, errors as DkErrors. */
import {openSync, closeSync, ftruncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {afterAll, describe, expect, it} from 'vitest'
import {extract} from 'tar-stream'

import {packContext} from '../../../src/context/pack.js'
import {planContext} from '../../../src/context/plan.js'
import {cleanupTrees, makeTree} from './tree.js'

afterAll(cleanupTrees)

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function readTar(buf: Buffer): Promise<Array<{name: string; type: string; size: number; body: string}>> {
  const out: Array<{name: string; type: string; size: number; body: string}> = []
  const ex = extract()
  ex.on('entry', (header, stream, next) => {
    const parts: Buffer[] = []
    stream.on('data', (c: Buffer) => parts.push(c))
    stream.on('end', () => {
      out.push({name: header.name, type: header.type ?? '', size: header.size ?? 0, body: Buffer.concat(parts).toString()})
      next()
    })
  })
  const done = new Promise((resolve, reject) => {
    ex.on('finish', resolve)
    ex.on('error', reject)
  })
  ex.end(buf)
  await done
  return out
}

describe('packContext', () => {
  it('produces an archive another reader accepts, with contents and 1024 zero bytes at the end', async () => {
    const dir = makeTree({Dockerfile: 'FROM busybox\n', 'src/app.js': 'console.log(1)\n', 'ünï/😀.txt': 'u', link: {symlink: 'src/app.js'}})
    const buf = await collect(packContext(await planContext(dir)))
    expect(buf.length % 512).toBe(0)
    expect(buf.subarray(-1024).every((b) => b === 0)).toBe(true)
    const entries = await readTar(buf)
    expect(entries.map((e) => [e.name, e.type, e.body])).toEqual([
      ['Dockerfile', 'file', 'FROM busybox\n'],
      ['link', 'symlink', ''],
      ['src/', 'directory', ''],
      ['src/app.js', 'file', 'console.log(1)\n'],
      ['ünï/', 'directory', ''],
      ['ünï/😀.txt', 'file', 'u'],
    ])
  })

  it('ends an injected-Dockerfile stream like Docker: no padding, no end-of-archive blocks', async () => {
    const root = makeTree({'ctx/x': 'data', 'Dockerfile.out': 'FROM busybox\n'})
    const plan = await planContext('ctx', {cwd: root, dockerfile: 'Dockerfile.out'})
    const buf = await collect(packContext(plan))
    expect(buf.length % 512).not.toBe(0)
    const terminated = await collect(packContext(plan, {terminate: true}))
    const names = (await readTar(terminated)).map((e) => e.name)
    expect(names).toEqual(['x', plan.dockerfileQueryPath, '.dockerignore'])
    expect((await readTar(terminated)).find((e) => e.name === '.dockerignore')?.body).toBe(`.dockerignore\n${plan.dockerfileQueryPath}\n`)
  })

  it('holds back under back-pressure: a slow consumer keeps memory flat', async () => {
    const dir = makeTree({Dockerfile: 'FROM busybox\n', big: Buffer.alloc(64 * 1024 * 1024, 1)})
    const stream = packContext(await planContext(dir))
    let received = 0
    let maxBuffered = 0
    const slow = new Writable({
      highWaterMark: 1024 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length
        maxBuffered = Math.max(maxBuffered, stream.readableLength)
        setImmediate(callback)
      },
    })
    await pipeline(stream, slow)
    expect(received).toBe(512 + 512 + 512 + 64 * 1024 * 1024 + 1024)
    expect(maxBuffered).toBeLessThanOrEqual(2 * 1024 * 1024)
  })

  it('fails with a DkError when a file shrinks while it is packed', async () => {
    const dir = makeTree({Dockerfile: 'FROM busybox\n', big: Buffer.alloc(8 * 1024 * 1024, 1)})
    const plan = await planContext(dir)
    const stream = packContext(plan)
    let truncated = false
    stream.on('data', () => {
      if (truncated) return
      truncated = true
      const fd = openSync(join(dir, 'big'), 'r+')
      ftruncateSync(fd, 10)
      closeSync(fd)
    })
    await expect(collect(stream)).rejects.toMatchObject({exitCode: 1, message: expect.stringContaining('shrank')})
  })

  it('stops with an InterruptedError when aborted', async () => {
    const dir = makeTree({Dockerfile: 'FROM busybox\n', big: Buffer.alloc(8 * 1024 * 1024, 1)})
    const controller = new AbortController()
    const stream = packContext(await planContext(dir), {signal: controller.signal})
    stream.once('data', () => controller.abort())
    await expect(collect(stream)).rejects.toMatchObject({exitCode: 130})
  })

  it('refuses to read through a file swapped for a symlink after the walk', async () => {
    const dir = makeTree({Dockerfile: 'FROM busybox\n', a: 'x'.repeat(10)})
    const plan = await planContext(dir)
    const stream = packContext(plan)
    // swap before the first read: the walk lstat's "a" as a file, the open must not follow a link
    const {rmSync, symlinkSync} = await import('node:fs')
    const iterator = stream[Symbol.asyncIterator]()
    rmSync(join(dir, 'a'))
    symlinkSync('/etc/passwd', join(dir, 'a'))
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\n')
    const chunks: Buffer[] = []
    let failure: unknown
    try {
      for (;;) {
        const {value, done} = await iterator.next()
        if (done) break
        chunks.push(value as Buffer)
      }
    } catch (error) {
      failure = error
    }
    const buf = Buffer.concat(chunks)
    expect(buf.includes(Buffer.from('root:'))).toBe(false)
    // Either the walk saw the link (and stored it as a link) or the open refused it.
    if (failure) expect((failure as Error).message).toMatch(/Cannot read a/)
  })
})
