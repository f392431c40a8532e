/**
 * dk images / inspect / tag / rmi / history / save / load against the real engine, through the
 * built CLI (as a user runs it) and compared with the docker CLI where Docker defines the output.
 * The test images are committed from a labelled busybox container, so they are real, distinct
 * images that cleanupTestObjects can find by label.
 */
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {dk, dkBin} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine, testLabels} from '../helpers/engine.js'

const SUITE = 'images.test'
const REPO = `dkt-images-${process.pid}`
let engine: Engine | undefined
let work: string
let imageId: string

beforeAll(async () => {
  engine = await maybeEngine()
  if (!engine) return
  work = mkdtempSync(join(tmpdir(), 'dkt-images-'))
  const container = await engine.docker.createContainer({Image: 'busybox:latest', Cmd: ['sh', '-c', 'echo hi > /greeting'], Labels: testLabels(SUITE)})
  await container.start()
  await container.wait()
  const committed = (await container.commit({
    repo: REPO,
    tag: 'one',
    changes: [
      `LABEL io.dk.test=${SUITE} io.dk.managed=true purpose=images-test`,
      'CMD ["httpd", "-f", "-p", "8080"]',
      'EXPOSE 8080',
      'ENV GREETING=hello',
      'WORKDIR /srv',
      'USER app',
      'ONBUILD RUN echo child',
      'VOLUME /data',
    ].join('\n'),
  })) as {Id: string}
  imageId = committed.Id
  await engine.docker.getImage(imageId).tag({repo: REPO, tag: 'two'})
})

afterAll(async () => {
  if (!engine) return
  await cleanupTestObjects(engine.docker, SUITE)
  for (const tag of ['one', 'two', 'three', 'retag']) await engine.docker.getImage(`${REPO}:${tag}`).remove({force: true}).catch(() => undefined)
  rmSync(work, {recursive: true, force: true})
})

describe('images through the Engine API', () => {
  it('lists like `docker images` (same rows for the same reference)', async ({skip}) => {
    if (!engine) return skip('no engine')
    const ours = await dk(['images', REPO])
    expect(ours.code).toBe(0)
    const theirs = execFileSync('docker', ['images', REPO], {encoding: 'utf8'})
    const rows = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => line.split(/\s{2,}/))
    const [ourHeader, ...ourRows] = rows(ours.stdout)
    const [theirHeader, ...theirRows] = rows(theirs)
    expect(ourHeader).toEqual(theirHeader)
    // CREATED may straddle a second boundary between the two runs: compare the other columns.
    const strip = (r: string[][]) => r.map(([repo, tag, id, , size]) => [repo, tag, id, size]).sort()
    expect(strip(ourRows)).toEqual(strip(theirRows))
    expect(ourRows).toHaveLength(2)

    const json = await dk(['images', REPO, '--json'])
    expect(json.json.data.map((r: {tag: string}) => r.tag).sort()).toEqual(['one', 'two'])
    expect(json.json.data[0]).toMatchObject({repository: REPO, id: imageId, shortId: imageId.slice(7, 19), size: expect.any(Number)})

    const quiet = await dk(['images', '-q', REPO])
    expect(quiet.stdout.trim().split('\n')).toEqual(execFileSync('docker', ['images', '-q', REPO], {encoding: 'utf8'}).trim().split('\n'))
  })

  it('inspects what a learner looks at first, and the raw object with --json', async ({skip}) => {
    if (!engine) return skip('no engine')
    const text = await dk(['inspect', `${REPO}:one`])
    expect(text.code).toBe(0)
    for (const expected of [/^Cmd\s+\["httpd","-f","-p","8080"\]$/m, /^ExposedPorts\s+8080\/tcp$/m, /GREETING=hello/, /^WorkingDir\s+\/srv$/m, /^User\s+app$/m, /^Volumes\s+\/data$/m, /^OnBuild\s+RUN echo child$/m, /purpose=images-test/, /^Layers \(\d+\)/m])
      expect(text.stdout).toMatch(expected)
    const raw = await dk(['inspect', '--json', `${REPO}:one`])
    const docker = JSON.parse(execFileSync('docker', ['inspect', `${REPO}:one`], {encoding: 'utf8'}))[0]
    expect(raw.json.data).toEqual(docker)

    const missing = await dk(['inspect', `${REPO}:nope`])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain(`No such image or container: ${REPO}:nope`)
  })

  it('inspects a container when the name is a container', async ({skip}) => {
    if (!engine) return skip('no engine')
    const name = `dkt-images-ctr-${process.pid}`
    const container = await engine.docker.createContainer({name, Image: imageId, Labels: testLabels(SUITE), HostConfig: {PortBindings: {'8080/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]}}})
    const result = await dk(['inspect', name]).finally(() => undefined)
    const asImage = await dk(['inspect', '--type', 'image', name])
    await container.remove({force: true, v: true})
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Container\s+dkt-images-ctr-/m)
    expect(result.stdout).toMatch(/^State\s+created$/m)
    expect(asImage.code).toBe(4)
  })

  it('tags, refuses bad names (exit 2) and missing sources (exit 4), and removes tags then the image', async ({skip}) => {
    if (!engine) return skip('no engine')
    const tagged = await dk(['tag', `${REPO}:one`, `${REPO}:three`, '--json'])
    expect(tagged.json).toMatchObject({ok: true, data: {target: `${REPO}:three`, id: imageId}})
    expect((await engine.docker.getImage(`${REPO}:three`).inspect()).Id).toBe(imageId)

    const bad = await dk(['tag', `${REPO}:one`, 'Bad/Name'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('lower-case')
    const missing = await dk(['tag', `${REPO}:nope`, `${REPO}:x`])
    expect(missing.code).toBe(4)

    const untag = await dk(['rmi', `${REPO}:three`])
    expect(untag.code).toBe(0)
    expect(untag.stdout.trim()).toBe(`Untagged: ${REPO}:three`)
    const gone = await dk(['rmi', `${REPO}:three`])
    expect(gone.code).toBe(4)
    expect(gone.stderr).toContain(`No such image: ${REPO}:three`)
  })

  it('shows the history like `docker history`', async ({skip}) => {
    if (!engine) return skip('no engine')
    const ours = await dk(['history', '--no-trunc', `${REPO}:one`, '--json'])
    expect(ours.code).toBe(0)
    const theirs = execFileSync('docker', ['history', '--no-trunc', '--format', '{{.ID}}\t{{.CreatedBy}}\t{{.Comment}}', `${REPO}:one`], {encoding: 'utf8'})
      .trim()
      .split('\n')
    expect(ours.json.data.map((r: {id: string; createdBy: string; comment: string}) => `${r.id}\t${r.createdBy}\t${r.comment}`)).toEqual(theirs)
    const table = await dk(['history', `${REPO}:one`])
    expect(table.stdout.split('\n')[0]).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/)
  })
})

describe('save and load', () => {
  it('round-trips: save two tags, remove them, load → same id and tags (plain and gzip)', async ({skip}) => {
    if (!engine) return skip('no engine')
    for (const gzip of [false, true]) {
      const file = join(work, gzip ? 'pair.tar.gz' : 'pair.tar')
      const saved = await dk(['save', '-o', file, `${REPO}:one`, `${REPO}:two`, '--json', ...(gzip ? ['--gzip'] : [])])
      expect(saved.code, saved.stderr).toBe(0)
      expect(saved.json.data).toMatchObject({gzip, images: [{id: imageId}, {id: imageId}]})
      expect(statSync(file).size).toBe(saved.json.data.bytes)
      const head = Buffer.alloc(2)
      const fd = openSync(file, 'r')
      readSync(fd, head, 0, 2, 0)
      closeSync(fd)
      expect(head[0] === 0x1f && head[1] === 0x8b).toBe(gzip)
      expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([])

      const removed = await dk(['rmi', `${REPO}:one`, `${REPO}:two`])
      expect(removed.code, removed.stderr).toBe(0)
      expect(removed.stdout).toContain(`Deleted: ${imageId}`)

      const loaded = await dk(['load', '-i', file, '--json'])
      expect(loaded.code, loaded.stderr).toBe(0)
      expect(loaded.json.data.images.sort()).toEqual([`${REPO}:one`, `${REPO}:two`])
      expect(loaded.json.data.compressed).toBe(gzip ? 'gzip' : 'none')
      expect((await engine.docker.getImage(`${REPO}:one`).inspect()).Id).toBe(imageId)
      expect((await engine.docker.getImage(`${REPO}:two`).inspect()).Id).toBe(imageId)
    }
  })

  it('loads from standard input and writes to standard output', async ({skip}) => {
    if (!engine) return skip('no engine')
    const file = join(work, 'stdout.tar')
    execFileSync('sh', ['-c', `node "${dkBin}" save ${REPO}:one > "${file}"`])
    const loaded = execFileSync('sh', ['-c', `node "${dkBin}" load < "${file}"`], {encoding: 'utf8'})
    expect(loaded.trim()).toBe(`Loaded image: ${REPO}:one`)
  })

  it('refuses a missing image (4), a truncated archive and a foreign file (1), naming the file', async ({skip}) => {
    if (!engine) return skip('no engine')
    const missing = await dk(['save', '-o', join(work, 'missing.tar'), `${REPO}:nope`])
    expect(missing.code).toBe(4)
    expect(existsSync(join(work, 'missing.tar'))).toBe(false)

    const full = join(work, 'full.tar')
    expect((await dk(['save', '-o', full, `${REPO}:one`])).code).toBe(0)
    const truncated = join(work, 'truncated.tar')
    execFileSync('sh', ['-c', `head -c ${Math.floor(statSync(full).size / 2)} "${full}" > "${truncated}"`])
    const cut = await dk(['load', '-i', truncated])
    expect(cut.code).toBe(1)
    expect(cut.stderr).toContain(`${truncated} is truncated or damaged`)

    const foreign = join(work, 'notes.txt')
    writeFileSync(foreign, 'these are not image layers\n'.repeat(100))
    const text = await dk(['load', '-i', foreign, '--json'])
    expect(text.code).toBe(1)
    expect(text.json.error.message).toBe(`${foreign} is not an image archive (it looks like a text file).`)

    const nofile = await dk(['load', '-i', join(work, 'nope.tar')])
    expect(nofile.code).toBe(4)
  })

  it('leaves nothing behind when a save is interrupted (exit 130)', async ({skip}) => {
    if (!engine) return skip('no engine')
    // debian:bookworm (~200 MB) takes long enough to interrupt mid-transfer.
    const dir = mkdtempSync(join(work, 'interrupt-'))
    const target = join(dir, 'debian.tar')
    const child = spawn(process.execPath, [dkBin, 'save', '-o', target, 'debian:bookworm'], {stdio: ['ignore', 'pipe', 'pipe']})
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    // Wait until the temp file exists and has data, then Ctrl-C.
    const deadline = Date.now() + 20_000
    let sawTemp = false
    while (Date.now() < deadline) {
      const temp = readdirSync(dir).find((f) => f.endsWith('.tmp'))
      if (temp && statSync(join(dir, temp)).size > 0) {
        sawTemp = true
        break
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    child.kill('SIGINT')
    const code = await exited
    expect(sawTemp).toBe(true)
    expect(code).toBe(130)
    expect(readdirSync(dir)).toEqual([])
  })
})
