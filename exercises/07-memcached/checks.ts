/**
 * Exercise 7: the workshop's memcached example. The task is "build and tag memcached, run it with
 * -d -P", so the checks read that image and that running container from the engine (rebuilding a
 * Debian image on every verify would cost a minute), then prove the service: a random key and value
 * stored and read back over memcached's text protocol on the published port.
 */
import {clip, defineExercise, fail, pass, type ContainerInfo, type ExerciseContext, type ImageInfo} from '../../src/exercises/kit.js'

const IMAGE = 'memcached'
const NAME = 'dk-memcached'
const PORT = '11211/tcp'

interface Found {
  image?: ImageInfo
  container?: ContainerInfo
  hostPort?: number
}
const found = new WeakMap<ExerciseContext, Found>()
const state = (ctx: ExerciseContext): Found => {
  let s = found.get(ctx)
  if (!s) found.set(ctx, (s = {}))
  return s
}

/** The history entry (a layer) whose instruction ran apt-get install. */
function installStep(history: Array<{CreatedBy: string}>): string | undefined {
  return history.map((h) => h.CreatedBy).find((c) => /apt-get\s+(-\S+\s+)*install\b/.test(c) && !c.includes('#(nop)'))
}

async function buildAndRun(ctx: ExerciseContext, runOptions: {publishAll: boolean}): Promise<void> {
  await ctx.build('.', {tag: IMAGE})
  await ctx.removeContainer(NAME)
  await ctx.run(IMAGE, {detach: true, name: NAME, publishAll: runOptions.publishAll})
}

export default defineExercise({
  fast: ['lint'],
  checks: [
    {
      id: 'lint',
      title: "dk's linter finds no errors in the Dockerfile",
      hint: 2,
      async run(ctx) {
        const findings = await ctx.lint('Dockerfile')
        const errors = findings.filter((f) => f.severity === 'error')
        if (errors.length > 0) return fail(errors.map((f) => `Dockerfile:${f.line}:${f.column} ${f.message} (${f.rule})`).join('; '))
        return pass({warnings: findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.message}`)})
      },
    },
    {
      id: 'image',
      title: 'An image tagged memcached exists',
      hint: 1,
      async run(ctx) {
        if (!(await ctx.imageExists(IMAGE))) return fail('There is no image tagged memcached yet. Run `dk build -t memcached .` in this folder.')
        const image = await ctx.inspectImage(IMAGE)
        state(ctx).image = image
        return pass({image: image.Id})
      },
    },
    {
      id: 'one-run',
      title: 'apt-get update, install and the list cleanup run in one RUN',
      dependsOn: ['image'],
      hint: 2,
      async run(ctx) {
        const engine = await ctx.engine()
        const history = (await engine.docker.getImage(state(ctx).image!.Id).history()) as Array<{CreatedBy: string}>
        const step = installStep(history)
        if (!step) return fail('No layer of the memcached image ran `apt-get install`. Install memcached with a RUN line.')
        const missing = [
          /apt-get\s+(-\S+\s+)*update\b/.test(step) ? undefined : '`apt-get update`',
          step.includes('/var/lib/apt/lists') ? undefined : '`rm -rf /var/lib/apt/lists/*`',
        ].filter(Boolean)
        if (missing.length > 0) return fail(`The RUN that installs memcached does not also run ${missing.join(' and ')}: put them in one RUN with &&, so the package lists are fresh and never stay in a layer.`)
        if (!/--no-install-recommends/.test(step)) return fail('apt-get install runs without --no-install-recommends: the image carries packages memcached does not need.')
        return pass({step: clip(step, 160)})
      },
    },
    {
      id: 'exposed',
      title: 'The image exposes exactly 11211/tcp',
      dependsOn: ['image'],
      hint: 2,
      async run(ctx) {
        const ports = Object.keys(state(ctx).image!.Config?.ExposedPorts ?? {})
        if (ports.length === 0) return fail('The image exposes no port (no EXPOSE), so -P has nothing to publish. Add EXPOSE 11211 (memcached listens on 11211/tcp).')
        if (ports.length !== 1 || ports[0] !== PORT) return fail(`The image exposes ${ports.join(', ')}; it should expose exactly ${PORT}.`)
        return pass({exposed: ports})
      },
    },
    {
      id: 'cmd-exec-form',
      title: 'CMD runs memcached -u daemon in exec form',
      dependsOn: ['image'],
      hint: 2,
      async run(ctx) {
        const config = state(ctx).image!.Config ?? {}
        const cmd = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]
        if (cmd.length === 0) return fail('The image has no command. Add CMD ["memcached", "-u", "daemon"].')
        if ((cmd[0] === '/bin/sh' || cmd[0] === 'sh') && cmd[1] === '-c') {
          return fail(`The command is in shell form: it is stored as ${JSON.stringify(cmd)}, so /bin/sh starts memcached and receives the signals. Write it as a JSON array: CMD ["memcached", "-u", "daemon"].`)
        }
        if (!/(^|\/)memcached$/.test(cmd[0])) return fail(`The command starts ${cmd[0]}, not memcached: ${JSON.stringify(cmd)}.`)
        const u = cmd.indexOf('-u')
        if (u === -1 || cmd[u + 1] !== 'daemon') return fail(`memcached is started without -u daemon (${JSON.stringify(cmd)}); as root it refuses to run or runs with too much power.`)
        return pass({cmd})
      },
    },
    {
      id: 'running',
      title: 'A container from the memcached image is running',
      dependsOn: ['image'],
      hint: 1,
      async run(ctx) {
        const engine = await ctx.engine()
        const id = state(ctx).image!.Id
        const rows = await engine.docker.listContainers({filters: JSON.stringify({ancestor: [id], status: ['running']})})
        // ancestor also matches images built FROM memcached: keep only direct instances.
        const direct = rows.filter((r) => r.ImageID === id)
        if (direct.length === 0) return fail('No running container uses the memcached image. Start one in the background: `dk run -d -P --name dk-memcached memcached`.')
        const chosen = direct.find((r) => r.Names.includes(`/${NAME}`)) ?? direct[0]
        const info = await ctx.inspectContainer(chosen.Id)
        state(ctx).container = info
        return pass({container: info.Name.slice(1), id: info.Id.slice(0, 12)})
      },
    },
    {
      id: 'publish-all',
      title: 'It was started with -P, and 11211/tcp has a host port',
      dependsOn: ['running', 'exposed'],
      hint: 1,
      async run(ctx) {
        const container = state(ctx).container!
        const name = container.Name.slice(1)
        if (!container.HostConfig.PublishAllPorts) {
          return fail(`${name} was started without -P (publish all exposed ports). Remove it and run \`dk run -d -P --name ${NAME} memcached\`.`)
        }
        const hostPort = await ctx.publishedPort(container.Id, PORT)
        if (!hostPort) return fail(`${name} publishes no host port for ${PORT}.`)
        state(ctx).hostPort = hostPort
        return pass({hostPort})
      },
    },
    {
      id: 'runs-as-daemon',
      title: 'memcached in the container does not run as root',
      dependsOn: ['running'],
      hint: 2,
      async run(ctx) {
        const container = state(ctx).container!
        // /proc/1/status names PID 1's real, effective, saved and fs uids; memcached -u switches all of them.
        const status = await ctx.exec(container.Id, ['cat', '/proc/1/status'])
        const uid = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status.stdout)
        const procName = /^Name:\s+(\S+)/m.exec(status.stdout)?.[1]
        if (!uid) return fail(`dk could not read the process's user in ${container.Name.slice(1)}: ${clip(status.stderr || status.stdout)}`)
        if (uid[2] === '0') return fail(`PID 1 (${procName}) runs as root (uid 0). Start memcached with -u daemon.`)
        return pass({process: procName, uid: Number(uid[2])})
      },
    },
    {
      id: 'protocol',
      title: 'memcached stores and returns a random value on 127.0.0.1:<host port>',
      dependsOn: ['publish-all'],
      hint: 1,
      async run(ctx) {
        const port = state(ctx).hostPort!
        const key = `dk-${ctx.nonce()}`
        const value = ctx.nonce()
        const payload = `set ${key} 0 60 ${value.length}\r\n${value}\r\nget ${key}\r\nquit\r\n`
        let answer: string
        try {
          answer = await ctx.tcpRequest(port, payload, {until: 'END\r\n', timeoutMs: 5000})
        } catch (error) {
          return fail(`dk cannot talk to memcached on 127.0.0.1:${port}: ${(error as Error).message}`)
        }
        const expected = `VALUE ${key} 0 ${value.length}\r\n${value}\r\nEND\r\n`
        if (!answer.startsWith('STORED\r\n') || !answer.includes(expected)) {
          return fail(`127.0.0.1:${port} did not answer like memcached: sent set/get for ${key}, got ${clip(answer)}.`)
        }
        return pass({hostPort: port, key, value})
      },
    },
  ],

  async solve(ctx) {
    await buildAndRun(ctx, {publishAll: true})
  },

  actions: {
    'build-and-run': (ctx) => buildAndRun(ctx, {publishAll: true}),
    'run-without-publish': (ctx) => buildAndRun(ctx, {publishAll: false}),
  },
})

