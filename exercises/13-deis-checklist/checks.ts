/**
 * Exercise 13: the Deis checklist as a report card. dk builds the attendee's Dockerfile and runs it
 * the way a Heroku-like platform would: published with -P, as two replicas behind the same config,
 * stopped with SIGTERM and timed; then it checks the release archive is the image it tested.
 */
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {buildCheck, clip, defineExercise, fail, pass, type ExerciseContext, type ImageInfo} from '../../src/exercises/kit.js'
import {configIdFor, readImageArchive} from '../11-save-load/image-archive.js'
import {logLinesWith} from '../12-twelve-factor-config/probes.js'

const TAG = 'workshop/app:1'
const RELEASE = 'dist/app.tar'
const PATH = '/cgi-bin/hello'
const SIZE_BUDGET = 10 * 1024 * 1024
/** Long enough to tell "stops by itself within 3 s" from "killed", short enough to keep verify quick. */
const STOP_GRACE_SECONDS = 4

interface Built {
  id: string
  info: ImageInfo
  port?: string
}
const builtOf = new WeakMap<ExerciseContext, Built>()
/** The container of http-200, reused by the log check and finally stopped by graceful-stop. */
const firstOf = new WeakMap<ExerciseContext, {id: string; port: number}>()

function built(ctx: ExerciseContext): Built {
  const b = builtOf.get(ctx)
  if (!b) throw new Error('the build check did not record an image')
  return b
}

/** A replica as the platform starts it: -P, config in the environment. */
async function replica(ctx: ExerciseContext, env: Record<string, string> = {}): Promise<{id: string; port: number}> {
  const b = built(ctx)
  const started = await ctx.run(b.id, {detach: true, publishAll: true, env})
  const port = await ctx.publishedPort(started.id, b.port!)
  if (!port) throw new Error(`the replica got no host port for ${b.port}`)
  return {id: started.id, port}
}

async function release(ctx: ExerciseContext): Promise<void> {
  await ctx.build('.', {tag: TAG})
  const {saveImages} = await import('../../src/engine/archive.js')
  await saveImages(await ctx.engine(), [TAG], {file: join(ctx.dir, RELEASE)})
}

export default defineExercise({
  checks: [
    buildCheck({remember: async (ctx, result) => void builtOf.set(ctx, {id: result.id, info: await ctx.inspectImage(result.id)})}),
    {
      id: 'one-expose',
      title: 'Exactly one exposed port',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const ports = Object.keys(built(ctx).info.Config?.ExposedPorts ?? {})
        if (ports.length !== 1) return fail(`The image exposes ${ports.length === 0 ? 'no port' : `${ports.length} ports (${ports.join(', ')})`}; the platform's router needs exactly one. Keep EXPOSE 8080 only.`)
        built(ctx).port = ports[0]
        return pass({exposed: ports[0]})
      },
    },
    {
      id: 'cmd',
      title: 'A default command',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const config = built(ctx).info.Config ?? {}
        const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]
        if (command.length === 0) return fail('The image has no CMD (or ENTRYPOINT): the platform starts it without arguments.')
        return pass({command})
      },
    },
    {
      id: 'http-200',
      title: `GET ${PATH} answers 200 on the exposed port (-P)`,
      dependsOn: ['one-expose', 'cmd'],
      hint: 1,
      async run(ctx) {
        const app = await replica(ctx)
        firstOf.set(ctx, app)
        const response = await ctx.httpGet(app.port, PATH)
        if (response.status !== 200) return fail(`GET ${PATH} answered ${response.status} ${clip(response.body)}.`)
        return pass({status: 200, hostPort: app.port})
      },
    },
    {
      id: 'replicas',
      title: 'Two replicas answer alike; one stopped, the other still serves',
      dependsOn: ['http-200'],
      hint: 2,
      async run(ctx) {
        const greeting = ctx.nonce()
        const [a, b] = [await replica(ctx, {GREETING: greeting}), await replica(ctx, {GREETING: greeting})]
        // Uneven traffic, as a router may send it: a replica that keeps state soon answers differently.
        const plan = [a, a, b, a, ...Array.from({length: Math.floor(Math.random() * 3)}, () => b)]
        const answers: string[] = []
        for (const target of plan) answers.push((await ctx.httpGet(target.port, PATH)).body.trim())
        const distinct = [...new Set(answers)]
        if (distinct.length > 1) return fail(`The same request answered differently depending on the replica and on earlier requests: ${distinct.map((d) => clip(d, 60)).join(' / ')}. Keep no state in the container (factor VI).`)
        if (!distinct[0]?.includes(greeting)) return fail(`Both replicas were started with GREETING=${greeting} but answered ${clip(distinct[0] ?? '')}.`)
        await ctx.removeContainer(a.id)
        const after = await ctx.httpGet(b.port, PATH)
        if (after.status !== 200 || after.body.trim() !== distinct[0]) return fail(`After one replica was removed, the other answered ${after.status} ${clip(after.body)}.`)
        return pass({requests: plan.length, answer: distinct[0]})
      },
    },
    {
      id: 'logs-stdout',
      title: "Every request is a line in the container's output",
      dependsOn: ['http-200'],
      hint: 1,
      async run(ctx) {
        const app = firstOf.get(ctx) ?? (await replica(ctx))
        const marker = ctx.nonce()
        const requests = 2 + Math.floor(Math.random() * 2)
        for (let i = 0; i < requests; i++) await ctx.httpGet(app.port, `${PATH}?dk=${marker}-${i}`)
        const lines = await logLinesWith(ctx, app.id, marker, requests)
        if (lines.length < requests) return fail(`dk sent ${requests} requests carrying ${marker}; the container's output has ${lines.length} lines with it. Log each request to stdout/stderr.`)
        return pass({requests, lines: lines.length})
      },
    },
    {
      id: 'graceful-stop',
      title: 'stop ends it in under 3 s, without SIGKILL',
      dependsOn: ['http-200'],
      hint: 2,
      async run(ctx) {
        const app = firstOf.get(ctx) ?? (await replica(ctx))
        // Only stop once it serves (http-200 saw it answer): the shell must have installed its trap.
        await ctx.httpGet(app.port, PATH)
        const {ms, exitCode} = await ctx.stopTimed(app.id, {timeoutSeconds: STOP_GRACE_SECONDS})
        const seconds = (ms / 1000).toFixed(1)
        if (exitCode === 137) return fail(`stop sent SIGTERM, nothing happened, and after ${seconds} s the engine sent SIGKILL (exit code 137). PID 1 ignores SIGTERM unless it handles it: trap TERM in start.sh and stop httpd.`)
        if (ms >= 3000) return fail(`stop took ${seconds} s (exit code ${exitCode}); a disposable process stops in well under 3 s.`)
        return pass({ms, exitCode})
      },
    },
    {
      id: 'size-budget',
      title: 'The image is under 10 MB',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const size = Number(built(ctx).info.Size ?? 0)
        const mb = (size / 1024 / 1024).toFixed(1)
        if (size >= SIZE_BUDGET) return fail(`The image is ${mb} MB; the budget is 10 MB.`)
        return pass({bytes: size, size: `${mb} MB`})
      },
    },
    {
      id: 'release-archive',
      title: `${RELEASE} holds ${TAG}, exactly the image on the engine`,
      dependsOn: ['build'],
      hint: 3,
      async run(ctx) {
        if (!(await ctx.fileExists(RELEASE))) return fail(`There is no ${RELEASE}: \`dk build -t ${TAG} .\` then \`dk save -o ${RELEASE} ${TAG}\`.`)
        if (!(await ctx.imageExists(TAG))) return fail(`There is no image ${TAG} on the engine: \`dk build -t ${TAG} .\`.`)
        let archive
        try {
          archive = await readImageArchive(join(ctx.dir, RELEASE))
        } catch (error) {
          return fail(`${RELEASE} is not a readable tar archive: ${(error as Error).message}.`)
        }
        const found = configIdFor(archive, TAG)
        if ('problem' in found) return fail(`${RELEASE} is not a release of ${TAG}: ${found.problem}.`)
        const onEngine = (await ctx.inspectImage(TAG)).Id
        if (found.id !== onEngine) return fail(`${RELEASE} holds a different image (${found.id.slice(7, 19)}) than ${TAG} (${onEngine.slice(7, 19)}): you changed and rebuilt after the release. Save it again.`)
        // dk's own build carries other labels, so its id differs; its layers are the files, and must match.
        const releasedLayers = (await ctx.inspectImage(TAG)).RootFS?.Layers ?? []
        const currentLayers = built(ctx).info.RootFS?.Layers ?? []
        if (releasedLayers.join() !== currentLayers.join()) return fail(`${TAG} was not built from your files as they are now (its layers differ): build it and save the release again.`)
        return pass({id: onEngine, layers: releasedLayers.length})
      },
    },
    {
      id: 'release-loads',
      title: `The engine loads ${RELEASE}`,
      dependsOn: ['release-archive'],
      hint: 1,
      async run(ctx) {
        // Same id as the tag already on the engine (checked above), so loading changes nothing.
        const {loadImages} = await import('../../src/engine/archive.js')
        try {
          const loaded = await loadImages(await ctx.engine(), {file: join(ctx.dir, RELEASE)})
          return pass({loaded: loaded.images})
        } catch (error) {
          return fail(`The engine refused ${RELEASE}: ${(error as Error).message}`)
        }
      },
    },
  ],

  solve: release,
  actions: {
    release,
    /** Released, then a change and a rebuild: the release is no longer what runs. */
    async 'release-then-rebuild'(ctx) {
      await release(ctx)
      await writeFile(join(ctx.dir, 'app/VERSION'), `${ctx.nonce()}\n`)
      const dockerfile = join(ctx.dir, 'Dockerfile')
      const {readFile} = await import('node:fs/promises')
      await writeFile(dockerfile, (await readFile(dockerfile, 'utf8')).replace('CMD [', 'COPY app/VERSION /app/VERSION\nCMD ['))
      await ctx.build('.', {tag: TAG})
    },
  },
})
