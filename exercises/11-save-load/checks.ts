/**
 * Exercise 11: save / load. The archive is read as a stream (manifest, config digest, layers), its
 * config digest compared with the image id on the engine, and the tag's history on the engine tells
 * a load apart from a build. The gzip copy is unpacked on the fly and must hold the same image.
 */
import {createWriteStream} from 'node:fs'
import {stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'

import {clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'
import {configIdFor, readImageArchive} from './image-archive.js'

const IMAGE = 'workshop/web:1'
const TAR = 'dist/web.tar'
const GZ = 'dist/web.tar.gz'

/** Docker 20.10 leaves LastTagTime at Go's zero time for a tag that came from `load`. */
const ZERO_TIME = /^0001-01-01T00:00:00/

const archiveIds = new WeakMap<ExerciseContext, string>()

async function save(ctx: ExerciseContext): Promise<void> {
  const {saveImages} = await import('../../src/engine/archive.js')
  await saveImages(await ctx.engine(), [IMAGE], {file: join(ctx.dir, TAR)})
}

/** `dk save --gzip`: the compressed copy for the USB stick. */
async function saveGzip(ctx: ExerciseContext): Promise<void> {
  const {saveImages} = await import('../../src/engine/archive.js')
  await saveImages(await ctx.engine(), [IMAGE], {file: join(ctx.dir, GZ), gzip: true})
}

async function reload(ctx: ExerciseContext): Promise<void> {
  const {loadImages} = await import('../../src/engine/archive.js')
  await ctx.removeImage(IMAGE)
  await loadImages(await ctx.engine(), {file: join(ctx.dir, TAR)})
}

export default defineExercise({
  fast: ['archive-exists', 'archive-valid', 'gzip-copy'],
  checks: [
    {
      id: 'archive-exists',
      title: `${TAR} exists`,
      hint: 1,
      async run(ctx) {
        if (!(await ctx.fileExists(TAR))) return fail(`There is no ${TAR} yet: \`dk save -o ${TAR} ${IMAGE}\` (after building it).`)
        return pass({bytes: (await stat(join(ctx.dir, TAR))).size})
      },
    },
    {
      id: 'archive-valid',
      title: `${TAR} is an image archive holding ${IMAGE}`,
      dependsOn: ['archive-exists'],
      hint: 2,
      async run(ctx) {
        let archive
        try {
          archive = await readImageArchive(join(ctx.dir, TAR))
        } catch (error) {
          return fail(`${TAR} is not a readable tar archive: ${(error as Error).message}.`)
        }
        const found = configIdFor(archive, IMAGE)
        if ('problem' in found) return fail(`${TAR} is not an image archive of ${IMAGE}: ${found.problem}.`)
        archiveIds.set(ctx, found.id)
        return pass({config: found.entry.Config, repoTags: found.entry.RepoTags, layers: found.entry.Layers.length, gzip: archive.gzip})
      },
    },
    {
      id: 'archive-matches-image',
      title: `The archive's config digest is the id of ${IMAGE} on the engine`,
      dependsOn: ['archive-valid'],
      hint: 2,
      async run(ctx) {
        if (!(await ctx.imageExists(IMAGE))) return fail(`${IMAGE} is not on the engine: load it back with \`dk load -i ${TAR}\`.`)
        const id = (await ctx.inspectImage(IMAGE)).Id
        const inArchive = archiveIds.get(ctx)!
        if (id !== inArchive) return fail(`${TAR} holds a different image (${inArchive.slice(7, 19)}) than ${IMAGE} on the engine (${id.slice(7, 19)}): the image was rebuilt after the save. Save it again, then remove and load it.`)
        return pass({id})
      },
    },
    {
      id: 'reloaded',
      title: `${IMAGE} came back from the archive (removed, then loaded)`,
      dependsOn: ['archive-matches-image'],
      hint: 3,
      async run(ctx) {
        const tagged = (await ctx.inspectImage(IMAGE)).Metadata?.LastTagTime ?? ''
        if (!tagged || ZERO_TIME.test(tagged)) return pass({lastTagTime: tagged || 'none', meaning: 'the tag was set by load'})
        // Engines that stamp loads too: a tag set after the archive was written can only come from a load of it (same id).
        const savedAt = (await stat(join(ctx.dir, TAR))).mtimeMs
        if (Date.parse(tagged) > savedAt) return pass({lastTagTime: tagged, meaning: 'tagged after the archive was written'})
        return fail(`${IMAGE} still carries the tag from its build (${tagged}), before ${TAR} was written: it was never loaded from the file. \`dk rmi ${IMAGE}\`, then \`dk load -i ${TAR}\`.`)
      },
    },
    {
      id: 'serves',
      title: `A container from the loaded ${IMAGE} serves index.html`,
      dependsOn: ['archive-matches-image'],
      hint: 1,
      async run(ctx) {
        const expected = (await ctx.readFile('web/index.html')).trim()
        const web = await ctx.run(IMAGE, {detach: true, ports: ['127.0.0.1::8080']})
        const port = await ctx.publishedPort(web.id, '8080/tcp')
        if (!port) return fail(`A container from ${IMAGE} got no host port for 8080.`)
        const response = await ctx.httpGet(port, '/index.html')
        if (response.status !== 200 || response.body.trim() !== expected) return fail(`GET /index.html answered ${response.status} ${clip(response.body)}; expected web/index.html.`)
        return pass({status: response.status})
      },
    },
    {
      id: 'gzip-copy',
      title: `${GZ} is a gzip of the same image`,
      dependsOn: ['archive-valid'],
      hint: 2,
      async run(ctx) {
        if (!(await ctx.fileExists(GZ))) return fail(`There is no ${GZ}: \`dk save --gzip -o ${GZ} ${IMAGE}\` (or \`gzip -k ${TAR}\`) makes it.`)
        let archive
        try {
          archive = await readImageArchive(join(ctx.dir, GZ))
        } catch (error) {
          return fail(`${GZ} cannot be unpacked: ${(error as Error).message}.`)
        }
        if (!archive.gzip) return fail(`${GZ} is not gzip-compressed (it starts like a plain tar). Use \`dk save --gzip -o ${GZ} ${IMAGE}\`.`)
        const found = configIdFor(archive, IMAGE)
        if ('problem' in found) return fail(`${GZ} does not hold ${IMAGE}: ${found.problem}.`)
        if (found.id !== archiveIds.get(ctx)) return fail(`${GZ} holds another image (${found.id.slice(7, 19)}) than ${TAR}: make it again from the current ${TAR}.`)
        const [plain, packed] = await Promise.all([stat(join(ctx.dir, TAR)), stat(join(ctx.dir, GZ))])
        return pass({id: found.id, tarBytes: plain.size, gzipBytes: packed.size, ratio: Number((packed.size / plain.size).toFixed(2))})
      },
    },
  ],

  async solve(ctx) {
    await ctx.build('web', {tag: IMAGE})
    await save(ctx)
    await reload(ctx)
    await saveGzip(ctx)
  },

  actions: {
    /** `export` instead of `save`: a container's files, no manifest. */
    async 'export-container'(ctx) {
      await ctx.build('web', {tag: IMAGE})
      const web = await ctx.run(IMAGE, {detach: true})
      const engine = await ctx.engine()
      const stream = (await engine.docker.getContainer(web.id).export()) as NodeJS.ReadableStream
      await pipeline(stream, createWriteStream(join(ctx.dir, TAR)))
    },
    /** Saved and reloaded, then the page changed and the image rebuilt: the archive is stale. */
    async 'save-then-rebuild'(ctx) {
      await ctx.build('web', {tag: IMAGE})
      await save(ctx)
      await reload(ctx)
      await saveGzip(ctx)
      await writeFile(join(ctx.dir, 'web/index.html'), `<!doctype html>\n<h1>Changed after the save (${ctx.nonce()})</h1>\n`)
      await ctx.build('web', {tag: IMAGE})
    },
    /** Saved, never removed and loaded. */
    async 'save-without-reload'(ctx) {
      await ctx.build('web', {tag: IMAGE})
      await save(ctx)
      await saveGzip(ctx)
    },
  },
})
