/**
 * Exercise 8: VOLUME and named volumes. dk builds the Dockerfile to check the declaration, reads the
 * attendee's dk-counter (image, mounts, port bindings) from the engine, then proves persistence: it
 * counts a random number of visits through 127.0.0.1:8088 and reads the same count from the named
 * volume in a throw-away container of its own. The attendee's container is never touched.
 */
import {buildCheck, clip, defineExercise, envProblem, fail, pass, type ContainerInfo, type ExerciseContext} from '../../src/exercises/kit.js'

const IMAGE = 'workshop/counter:1'
const NAME = 'dk-counter'
const VOLUME = 'dk-counter-data'
const HOST_PORT = 8088

interface Seen {
  builtVolumes?: string[]
  imageId?: string
  container?: ContainerInfo
  lastCount?: number
}
const seen = new WeakMap<ExerciseContext, Seen>()
const state = (ctx: ExerciseContext): Seen => {
  let s = seen.get(ctx)
  if (!s) seen.set(ctx, (s = {}))
  return s
}

async function buildAndRun(ctx: ExerciseContext, run: {volumes: string[]; ports: string[]}): Promise<void> {
  await ctx.build('.', {tag: IMAGE})
  await ctx.removeContainer(NAME)
  await ctx.run(IMAGE, {detach: true, name: NAME, volumes: run.volumes, ports: run.ports})
}

const PORT_TAKEN = /port is already allocated|address already in use/i

export default defineExercise({
  checks: [
    buildCheck({
      remember: async (ctx, result) => {
        const info = await ctx.inspectImage(result.id)
        state(ctx).builtVolumes = Object.keys(info.Config?.Volumes ?? {})
      },
    }),
    {
      id: 'volume-declared',
      title: 'The Dockerfile declares the volume /data',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const volumes = state(ctx).builtVolumes ?? []
        if (!volumes.includes('/data')) {
          return fail(`The image built from your Dockerfile declares ${volumes.length ? volumes.join(', ') : 'no volume'}. Add VOLUME /data, so every container keeps its count outside its own layer.`)
        }
        return pass({volumes})
      },
    },
    {
      id: 'image',
      title: `${IMAGE} exists and declares /data`,
      dependsOn: ['volume-declared'],
      hint: 3,
      async run(ctx) {
        if (!(await ctx.imageExists(IMAGE))) return fail(`There is no image ${IMAGE} yet: \`dk build -t ${IMAGE} .\``)
        const info = await ctx.inspectImage(IMAGE)
        if (!Object.keys(info.Config?.Volumes ?? {}).includes('/data')) return fail(`${IMAGE} declares no volume /data: it was built before you added VOLUME. Build it again.`)
        state(ctx).imageId = info.Id
        return pass({image: info.Id})
      },
    },
    {
      id: 'running',
      title: `A container named ${NAME} runs from ${IMAGE}`,
      dependsOn: ['image'],
      hint: 3,
      async run(ctx) {
        const container = await ctx.containerByName(NAME)
        if (!container) return fail(`There is no container named ${NAME}. Start it with -d, -v and -p as the task says.`)
        if (!container.State.Running) {
          const why = String((container.State as {Error?: string}).Error ?? '')
          if (PORT_TAKEN.test(why)) return envProblem(`${NAME} could not start because host port ${HOST_PORT} is taken by another program (${clip(why)}). Free the port, then remove ${NAME} and run it again.`)
          return fail(`${NAME} exists but is not running (${container.State.Status}, exit code ${container.State.ExitCode}).`)
        }
        if (container.Image !== state(ctx).imageId) return fail(`${NAME} runs an older image, not the current ${IMAGE}. Remove it (\`dk rm -f ${NAME}\`) and run it again.`)
        state(ctx).container = container
        return pass({container: container.Id.slice(0, 12)})
      },
    },
    {
      id: 'named-volume',
      title: `${NAME} keeps /data in the named volume ${VOLUME}`,
      dependsOn: ['running'],
      hint: 2,
      async run(ctx) {
        const mounts = state(ctx).container!.Mounts ?? []
        const data = mounts.find((m) => m.Destination === '/data')
        if (!data) return fail(`${NAME} has nothing mounted at /data.`)
        if (data.Type !== 'volume') return fail(`${NAME} mounts a ${data.Type} (${data.Source}) at /data; the task asks for the named volume ${VOLUME}: -v ${VOLUME}:/data.`)
        if (data.Name !== VOLUME) {
          const anonymous = /^[0-9a-f]{64}$/.test(data.Name ?? '')
          return fail(anonymous
            ? `${NAME} got an anonymous volume at /data (${data.Name?.slice(0, 12)}…): a new, empty one for every container. Name it: -v ${VOLUME}:/data.`
            : `${NAME} mounts the volume ${data.Name} at /data, not ${VOLUME}.`)
        }
        return pass({volume: data.Name, destination: data.Destination})
      },
    },
    {
      id: 'published-loopback',
      title: `Port 8080 is published on 127.0.0.1:${HOST_PORT} only`,
      dependsOn: ['running'],
      hint: 2,
      async run(ctx) {
        const container = state(ctx).container!
        const bindings = container.NetworkSettings.Ports?.['8080/tcp'] ?? []
        if (bindings.length === 0) return fail(`${NAME} publishes no host port for 8080: -p 127.0.0.1:${HOST_PORT}:8080.`)
        const wide = bindings.filter((b) => b.HostIp !== '127.0.0.1')
        if (wide.length > 0) return fail(`${NAME} publishes 8080 on all interfaces (${wide.map((b) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`).join(', ')}): anyone on your network can reach it. Bind to the loopback address: -p 127.0.0.1:${HOST_PORT}:8080.`)
        if (!bindings.some((b) => b.HostPort === String(HOST_PORT))) return fail(`${NAME} publishes 8080 on 127.0.0.1:${bindings.map((b) => b.HostPort).join(', ')}, not on port ${HOST_PORT}.`)
        return pass({bindings})
      },
    },
    {
      id: 'counts',
      title: 'The counter counts through 127.0.0.1:8088',
      dependsOn: ['published-loopback'],
      hint: 1,
      async run(ctx) {
        const visits = 2 + Math.floor(Math.random() * 3)
        const counts: number[] = []
        for (let i = 0; i < visits; i++) {
          const response = await ctx.httpGet(HOST_PORT, `/cgi-bin/count?dk=${ctx.nonce()}`)
          const n = Number(response.body.trim())
          if (response.status !== 200 || !Number.isInteger(n)) return fail(`GET 127.0.0.1:${HOST_PORT}/cgi-bin/count answered ${response.status} ${clip(response.body)}; expected a number.`)
          counts.push(n)
        }
        const consecutive = counts.every((n, i) => i === 0 || n === counts[i - 1] + 1)
        if (!consecutive) return fail(`${visits} visits in a row answered ${counts.join(', ')}: not one more each time.`)
        state(ctx).lastCount = counts.at(-1)
        return pass({visits, counts})
      },
    },
    {
      id: 'survives',
      title: `The count lives in ${VOLUME}, not in the container`,
      dependsOn: ['counts', 'named-volume'],
      hint: 1,
      async run(ctx) {
        const read = 'cat /data/count 2>/dev/null || echo none'
        const withVolume = await ctx.run(IMAGE, {entrypoint: ['sh', '-c'], cmd: [read], volumes: [`${VOLUME}:/data`]})
        const count = withVolume.stdout.trim()
        const last = state(ctx).lastCount!
        if (Number(count) < last) return fail(`A new container on ${VOLUME} reads the count ${count}, but dk-counter just answered ${last}.`)
        const withoutVolume = await ctx.run(IMAGE, {entrypoint: ['sh', '-c'], cmd: [read]})
        if (withoutVolume.stdout.trim() !== 'none') return fail(`A container without ${VOLUME} already finds a count (${clip(withoutVolume.stdout)}): /data/count must not be baked into the image.`)
        return pass({countOnVolume: Number(count), countWithoutVolume: 'none (a fresh anonymous volume)'})
      },
    },
  ],

  async solve(ctx) {
    await buildAndRun(ctx, {volumes: [`${VOLUME}:/data`], ports: [`127.0.0.1:${HOST_PORT}:8080`]})
  },

  actions: {
    'build-and-run': (ctx) => buildAndRun(ctx, {volumes: [`${VOLUME}:/data`], ports: [`127.0.0.1:${HOST_PORT}:8080`]}),
    'run-anonymous': (ctx) => buildAndRun(ctx, {volumes: [], ports: [`127.0.0.1:${HOST_PORT}:8080`]}),
    'run-all-interfaces': (ctx) => buildAndRun(ctx, {volumes: [`${VOLUME}:/data`], ports: [`${HOST_PORT}:8080`]}),
  },
})
