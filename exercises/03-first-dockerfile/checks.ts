import {buildCheck, clip, defineExercise, fail, pass} from '../../src/exercises/kit.js'

const BASE = 'workshop/base:1'
const TAG = 'workshop/motd:1'

/** The image dk built from the attendee's Dockerfile in this run (set by the build check). */
const built = new Map<string, string>()

export default defineExercise({
  fast: ['lint', 'from'],

  checks: [
    {
      id: 'lint',
      title: 'The Dockerfile has no lint errors',
      hint: 2,
      async run(ctx) {
        const findings = await ctx.lint('Dockerfile')
        const errors = findings.filter((f) => f.severity === 'error')
        if (errors.length > 0) {
          const first = errors[0]
          return fail(`Dockerfile:${first.line}:${first.column}: ${first.message} (${first.rule})${errors.length > 1 ? ` and ${errors.length - 1} more; \`dk lint Dockerfile\` lists them` : ''}.`)
        }
        return pass({warnings: findings.map((f) => `Dockerfile:${f.line}:${f.column} ${f.rule} ${f.message}`)})
      },
    },
    {
      id: 'from',
      title: `It starts FROM ${BASE}`,
      hint: 2,
      async run(ctx) {
        const instructions = (await ctx.dockerfile('Dockerfile')).filter((i) => i.keyword !== 'ARG')
        const from = instructions[0]
        if (!from || from.keyword !== 'FROM') return fail(`Dockerfile:${from?.line ?? 1}:${from?.column ?? 1}: the first instruction must be FROM (found ${from?.keyword ?? 'nothing'}).`)
        const where = `Dockerfile:${from.line}:${from.column}`
        if (from.image === BASE) return pass()
        const exists = from.image ? await ctx.imageExists(from.image) : false
        if (!exists)
          return fail(`${where}: FROM ${from.image} names an image that is not on this engine, and dk never pulls from a registry. Build on the image from exercise 2: FROM ${BASE}.`)
        return fail(`${where}: FROM ${from.image}: this exercise builds on the image you imported in exercise 2, FROM ${BASE}.`)
      },
    },
    buildCheck({title: 'dk can build it', dependsOn: ['lint', 'from'], hint: 2, remember: (ctx, result) => void built.set(ctx.runId, result.id)}),
    {
      id: 'run-layer',
      title: 'Its history has a RUN layer',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const engine = await ctx.engine()
        const history = (await engine.docker.getImage(built.get(ctx.runId)!).history()) as Array<{CreatedBy: string}>
        // Classic builder: RUN steps are "/bin/sh -c <command>", metadata steps "/bin/sh -c #(nop) CMD …".
        const runs = history.filter((h) => h.CreatedBy.startsWith('/bin/sh -c ') && !h.CreatedBy.includes('#(nop)'))
        if (runs.length === 0) return fail('The image has no RUN step: nothing was done at build time. Write /etc/motd with a RUN instruction (CMD only runs when a container starts).')
        return pass({runSteps: runs.map((h) => h.CreatedBy.slice('/bin/sh -c '.length))})
      },
    },
    {
      id: 'motd',
      title: '/etc/motd in the image holds your token',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const result = await ctx.run(built.get(ctx.runId)!, {cmd: ['cat', '/etc/motd'], entrypoint: [], timeoutMs: 15_000})
        if (result.exitCode !== 0) return fail(`There is no /etc/motd in the image (cat said ${clip(result.stderr)}). Write it in a RUN step: RUN echo ${ctx.token} > /etc/motd.`)
        if (!result.stdout.includes(ctx.token)) return fail(`/etc/motd holds ${clip(result.stdout)}, not your token ${ctx.token}.`)
        return pass()
      },
    },
    {
      id: 'prints',
      title: 'A container started from it prints your token',
      dependsOn: ['build'],
      hint: 3,
      async run(ctx) {
        const info = await ctx.inspectImage(built.get(ctx.runId)!)
        const cmd = info.Config?.Cmd ?? []
        const result = await ctx.run(built.get(ctx.runId)!, {timeoutMs: 15_000})
        if (!result.stdout.includes(ctx.token)) {
          const inherited = JSON.stringify(cmd) === JSON.stringify(['/bin/sh'])
          return fail(
            `Starting a container printed ${clip(result.stdout + result.stderr)}. Its command is ${JSON.stringify(cmd)}${inherited ? `, inherited from ${BASE}: your Dockerfile sets no CMD` : ''}. RUN only runs at build time; CMD ["cat", "/etc/motd"] says what to run when a container starts.`,
          )
        }
        const shellForm = cmd.length === 3 && cmd[0] === '/bin/sh' && cmd[1] === '-c'
        return pass({cmd, ...(shellForm ? {note: 'CMD is in shell form (wrapped in /bin/sh -c); the JSON form runs the program directly'} : {})})
      },
    },
    {
      id: 'tagged',
      title: `${TAG} exists and prints your token`,
      dependsOn: ['prints'],
      hint: 3,
      async run(ctx) {
        if (!(await ctx.imageExists(TAG))) return fail(`There is no image ${TAG}. Build your Dockerfile with the tag: docker build -t ${TAG} .`)
        const result = await ctx.run(TAG, {timeoutMs: 15_000})
        if (!result.stdout.includes(ctx.token)) return fail(`${TAG} printed ${clip(result.stdout + result.stderr)}, not your token: build it again from this Dockerfile (docker build -t ${TAG} .).`)
        return pass({imageId: (await ctx.inspectImage(TAG)).Id})
      },
    },
  ],

  async solve(ctx) {
    await ctx.build('.', {tag: TAG})
  },
})
