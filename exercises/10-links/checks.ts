/**
 * Exercise 10: --link. The link is read from dk-app's HostConfig, its effects from inside dk-app
 * (`env`, `/etc/hosts`), and the traffic is proven end to end: dk writes a random value into dk-db
 * and expects dk-app to return it through its published port.
 */
import {clip, defineExercise, fail, pass, type ContainerInfo, type ExerciseContext} from '../../src/exercises/kit.js'

const DB = 'dk-db'
const APP = 'dk-app'
const DB_IMAGE = 'workshop/db:1'
const APP_IMAGE = 'workshop/linkapp:1'

interface Seen {
  db?: ContainerInfo
  app?: ContainerInfo
  dbIp?: string
  appPort?: number
}
const seen = new WeakMap<ExerciseContext, Seen>()
const state = (ctx: ExerciseContext): Seen => {
  let s = seen.get(ctx)
  if (!s) seen.set(ctx, (s = {}))
  return s
}

async function buildAndRun(ctx: ExerciseContext, options: {dbPorts?: string[]; link: string}): Promise<void> {
  await ctx.build('db', {tag: DB_IMAGE})
  await ctx.build('app', {tag: APP_IMAGE})
  await ctx.removeContainer(APP)
  await ctx.removeContainer(DB)
  await ctx.run(DB_IMAGE, {detach: true, name: DB, ports: options.dbPorts})
  await ctx.run(APP_IMAGE, {detach: true, name: APP, links: [options.link], ports: ['127.0.0.1::8080']})
}

async function running(ctx: ExerciseContext, name: string, how: string) {
  const container = await ctx.containerByName(name)
  if (!container) return {problem: fail(`There is no container named ${name}. ${how}`)}
  if (!container.State.Running) return {problem: fail(`${name} exists but is not running (${container.State.Status}, exit code ${container.State.ExitCode}). Remove it and start it again: ${how}`)}
  return {container}
}

/** dk-db's address on the default bridge (links only exist there). */
function bridgeIp(info: ContainerInfo): string | undefined {
  return info.NetworkSettings.IPAddress || info.NetworkSettings.Networks?.bridge?.IPAddress || undefined
}

export default defineExercise({
  checks: [
    {
      id: 'db-running',
      title: `${DB} is running`,
      hint: 3,
      async run(ctx) {
        const {container, problem} = await running(ctx, DB, `dk run -d --name ${DB} ${DB_IMAGE}`)
        if (problem) return problem
        const ip = bridgeIp(container)
        if (!ip) return fail(`${DB} has no address on the default bridge network; links only work there. Start it without --network.`)
        Object.assign(state(ctx), {db: container, dbIp: ip})
        return pass({container: container.Id.slice(0, 12), ip})
      },
    },
    {
      id: 'db-private',
      title: `${DB} publishes no port`,
      dependsOn: ['db-running'],
      hint: 1,
      async run(ctx) {
        const db = state(ctx).db!
        const published = Object.entries(db.NetworkSettings.Ports ?? {}).flatMap(([port, bindings]) => (bindings ?? []).map((b) => `${port} → ${b.HostIp || '0.0.0.0'}:${b.HostPort}`))
        if (published.length > 0 || db.HostConfig.PublishAllPorts) {
          return fail(`${DB} publishes ${published.join(', ') || 'its ports (-P)'}: a database needs no port on the host, linked containers reach it directly. Run it without -p/-P.`)
        }
        return pass()
      },
    },
    {
      id: 'app-running',
      title: `${APP} is running`,
      hint: 3,
      async run(ctx) {
        const {container, problem} = await running(ctx, APP, `dk run -d --name ${APP} --link ${DB}:db -p 127.0.0.1::8080 ${APP_IMAGE}`)
        if (problem) return problem
        state(ctx).app = container
        return pass({container: container.Id.slice(0, 12)})
      },
    },
    {
      id: 'link',
      title: `${APP} links ${DB} under the alias db`,
      dependsOn: ['app-running', 'db-running'],
      hint: 1,
      async run(ctx) {
        // The engine stores a link as "/<target>:/<container>/<alias>".
        const links = state(ctx).app!.HostConfig.Links ?? []
        const toDb = links.filter((l) => l.startsWith(`/${DB}:`))
        if (toDb.length === 0) return fail(`${APP} has no link to ${DB}${links.length ? ` (links: ${links.join(', ')})` : ''}. Start it with --link ${DB}:db.`)
        const aliases = toDb.map((l) => l.split('/').pop())
        if (!aliases.includes('db')) return fail(`${APP} links ${DB} under the alias ${aliases.join(', ')}, not db: the variables are then named ${aliases[0]!.toUpperCase().replace(/-/g, '_')}_PORT_…. Use --link ${DB}:db.`)
        return pass({links})
      },
    },
    {
      id: 'link-env',
      title: `Inside ${APP}, DB_PORT_8080_TCP_ADDR is ${DB}'s address`,
      dependsOn: ['link'],
      hint: 2,
      async run(ctx) {
        const env = await ctx.exec(APP, ['env'])
        const vars = Object.fromEntries(env.stdout.split('\n').filter((l) => l.startsWith('DB_')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
        const ip = state(ctx).dbIp!
        if (vars.DB_PORT_8080_TCP_ADDR !== ip) return fail(`Inside ${APP}, DB_PORT_8080_TCP_ADDR is ${vars.DB_PORT_8080_TCP_ADDR ?? 'not set'}; ${DB}'s address is ${ip}. Was ${DB} restarted after ${APP} was created? Start ${APP} again.`)
        if (!vars.DB_NAME) return fail(`Inside ${APP}, DB_NAME is not set.`)
        return pass({DB_PORT_8080_TCP_ADDR: vars.DB_PORT_8080_TCP_ADDR, DB_PORT_8080_TCP_PORT: vars.DB_PORT_8080_TCP_PORT, DB_NAME: vars.DB_NAME})
      },
    },
    {
      id: 'link-hosts',
      title: `Inside ${APP}, /etc/hosts maps db to ${DB}`,
      dependsOn: ['link'],
      hint: 2,
      async run(ctx) {
        const hosts = await ctx.exec(APP, ['cat', '/etc/hosts'])
        const ip = state(ctx).dbIp!
        const line = hosts.stdout.split('\n').find((l) => l.trim().split(/\s+/)[0] === ip && l.trim().split(/\s+/).slice(1).includes('db'))
        if (!line) return fail(`${APP}'s /etc/hosts has no line mapping db to ${ip}: ${clip(hosts.stdout, 200)}`)
        return pass({hostsLine: line.trim()})
      },
    },
    {
      id: 'app-published',
      title: `${APP}'s port 8080 is published`,
      dependsOn: ['app-running'],
      hint: 1,
      async run(ctx) {
        const port = await ctx.publishedPort(APP, '8080/tcp')
        if (!port) return fail(`${APP} publishes no host port for 8080: add -p 127.0.0.1::8080 (loopback, any free port).`)
        state(ctx).appPort = port
        return pass({hostPort: port})
      },
    },
    {
      id: 'traffic',
      title: `${APP} fetches a random value from ${DB} through the link`,
      dependsOn: ['link-env', 'app-published'],
      hint: 2,
      async run(ctx) {
        const value = ctx.nonce()
        const wrote = await ctx.exec(DB, ['sh', '-c', `echo ${value} > /data/value`])
        if (wrote.exitCode !== 0) return fail(`dk could not write into ${DB}'s /data/value: ${clip(wrote.stderr)}. Was ${DB} started from ${DB_IMAGE}?`)
        const port = state(ctx).appPort!
        const response = await ctx.httpGet(port, '/cgi-bin/value')
        if (response.status !== 200 || !response.body.includes(value)) {
          return fail(`dk wrote ${value} into ${DB}, but GET 127.0.0.1:${port}/cgi-bin/value on ${APP} did not return it: ${response.status} ${clip(response.body)}. Build DB_URL from DB_PORT_8080_TCP_ADDR and DB_PORT_8080_TCP_PORT (or the host name db), rebuild ${APP_IMAGE} and start ${APP} again.`)
        }
        return pass({value, via: `127.0.0.1:${port}`})
      },
    },
  ],

  solve: (ctx) => buildAndRun(ctx, {link: `${DB}:db`}),
  actions: {
    'build-and-run': (ctx) => buildAndRun(ctx, {link: `${DB}:db`}),
    'run-db-published': (ctx) => buildAndRun(ctx, {link: `${DB}:db`, dbPorts: ['127.0.0.1::8080']}),
    'run-default-alias': (ctx) => buildAndRun(ctx, {link: DB}),
  },
})
