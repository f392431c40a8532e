/**
 * Exercise 12: twelve-factor config, port binding and logs. dk builds the attendee's Dockerfile and
 * proves each factor with its own containers: two random greetings must come back from two
 * containers, a random PORT must be where the app listens, and a random marker sent with each
 * request must show up once per request in the container's output.
 */
import {buildCheck, clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'
import {logLinesWith, startApp} from './probes.js'

const TAG = 'workshop/hello:1'
const PATH = '/cgi-bin/hello'

const imageOf = new WeakMap<ExerciseContext, string>()
/** The container started without GREETING, reused by the log check (one container fewer per run). */
const defaultApp = new WeakMap<ExerciseContext, {id: string; port: number}>()

function image(ctx: ExerciseContext): string {
  const id = imageOf.get(ctx)
  if (!id) throw new Error('the build check did not record an image')
  return id
}

export default defineExercise({
  checks: [
    buildCheck({remember: (ctx, result) => void imageOf.set(ctx, result.id)}),
    {
      id: 'no-config-file',
      title: 'No config.ini in the image',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const found = await ctx.run(image(ctx), {entrypoint: ['sh', '-c'], cmd: ['find / -xdev -name config.ini 2>/dev/null']})
        const paths = found.stdout.trim()
        if (paths) return fail(`The image still contains ${paths.split('\n').join(', ')}: config that differs between deploys does not belong in the image. Remove the COPY of config.ini.`)
        return pass()
      },
    },
    {
      id: 'greeting-from-env',
      title: 'Two containers with two random GREETINGs answer with their own',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const greetings = [ctx.nonce(), ctx.nonce()]
        const answers: string[] = []
        for (const greeting of greetings) {
          const app = await startApp(ctx, image(ctx), {GREETING: greeting})
          const response = await ctx.httpGet(app.port, PATH)
          answers.push(response.body.trim())
          if (response.status !== 200 || response.body.trim() !== greeting) {
            return fail(`Started with GREETING=${greeting}, GET ${PATH} answered ${response.status} ${clip(response.body)}. Read the greeting from the environment: GREETING="\${GREETING:-Hello}".`)
          }
        }
        return pass({greetings, answers})
      },
    },
    {
      id: 'default-greeting',
      title: 'Without GREETING the answer is Hello',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const app = await startApp(ctx, image(ctx))
        defaultApp.set(ctx, app)
        const response = await ctx.httpGet(app.port, PATH)
        if (response.status !== 200 || response.body.trim() !== 'Hello') return fail(`Without GREETING, GET ${PATH} answered ${response.status} ${clip(response.body)}; the default should be Hello.`)
        return pass()
      },
    },
    {
      id: 'port-from-env',
      title: 'The app listens on the port PORT names',
      dependsOn: ['build'],
      hint: 3,
      async run(ctx) {
        const port = 20000 + Math.floor(Math.random() * 10000)
        const app = await startApp(ctx, image(ctx), {PORT: String(port)}, port)
        try {
          const response = await ctx.httpGet(app.port, PATH, {retries: 4})
          if (response.status !== 200) return fail(`Started with PORT=${port}, the app answered ${response.status} ${clip(response.body)} there.`)
        } catch {
          return fail(`Started with PORT=${port}, nothing answered on container port ${port}: start.sh must listen on \${PORT:-8080}.`)
        }
        return pass({port})
      },
    },
    {
      id: 'logs-stdout',
      title: "One log line per request in the container's output",
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const app = defaultApp.get(ctx) ?? (await startApp(ctx, image(ctx)))
        const marker = ctx.nonce()
        const requests = 2 + Math.floor(Math.random() * 3)
        for (let i = 0; i < requests; i++) await ctx.httpGet(app.port, `${PATH}?dk=${marker}-${i}`)
        const lines = await logLinesWith(ctx, app.id, marker, requests)
        if (lines.length !== requests) {
          return fail(`dk sent ${requests} requests carrying ${marker} and found ${lines.length} log lines with it in the container's output (\`dk logs\`). Write one line per request, with $REQUEST_URI, to stderr (>&2) instead of a file.`)
        }
        return pass({requests, lines: lines.map((l) => clip(l, 120))})
      },
    },
  ],

  async solve(ctx) {
    await ctx.build('.', {tag: TAG})
  },
  actions: {
    async build(ctx) {
      await ctx.build('.', {tag: TAG})
    },
  },
})
