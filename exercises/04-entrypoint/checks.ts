import {buildCheck, clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'

const SCRIPT = 'greet.sh'

/** The image dk built from the attendee's Dockerfile in this run. */
const built = new Map<string, string>()
const image = (ctx: ExerciseContext) => built.get(ctx.runId)!

const isShellForm = (list: string[] | null | undefined) => Boolean(list && list.length === 3 && list[0] === '/bin/sh' && list[1] === '-c')

const CMD_ONLY =
  'With only CMD, the argument you give `docker run IMAGE Ada` replaced the whole command, so Docker tried to run a program called "Ada". Put the program in ENTRYPOINT and only the default argument in CMD.'

export default defineExercise({
  fast: ['lint'],

  checks: [
    {
      id: 'lint',
      title: 'The Dockerfile has no lint errors',
      hint: 2,
      async run(ctx) {
        const errors = (await ctx.lint('Dockerfile')).filter((f) => f.severity === 'error')
        if (errors.length > 0) return fail(`Dockerfile:${errors[0].line}:${errors[0].column}: ${errors[0].message} (${errors[0].rule}).`)
        return pass()
      },
    },
    buildCheck({title: 'dk can build it', dependsOn: ['lint'], remember: (ctx, result) => void built.set(ctx.runId, result.id)}),
    {
      id: 'entrypoint',
      title: `ENTRYPOINT runs ${SCRIPT}, in exec form`,
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const config = (await ctx.inspectImage(image(ctx))).Config ?? {}
        const entrypoint = config.Entrypoint
        if (!entrypoint || entrypoint.length === 0) {
          const cmdHasScript = (config.Cmd ?? []).some((part) => part.includes(SCRIPT))
          return fail(`The image has no ENTRYPOINT.${cmdHasScript ? ` Your CMD holds the program: ${CMD_ONLY}` : ` Add ENTRYPOINT ["/usr/local/bin/${SCRIPT}"].`}`)
        }
        if (isShellForm(entrypoint))
          return fail(`ENTRYPOINT is in shell form (stored as ${JSON.stringify(entrypoint)}): /bin/sh -c runs it without CMD or the arguments of docker run. Write it as a JSON array: ENTRYPOINT ["/usr/local/bin/${SCRIPT}"].`)
        if (!entrypoint[0].endsWith(SCRIPT) && !entrypoint.some((part) => part.endsWith(SCRIPT))) return fail(`ENTRYPOINT is ${JSON.stringify(entrypoint)}; it should run ${SCRIPT}.`)
        return pass({entrypoint})
      },
    },
    {
      id: 'cmd',
      title: 'CMD is ["world"]',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const cmd = (await ctx.inspectImage(image(ctx))).Config?.Cmd
        if (!cmd || cmd.length === 0) return fail('The image has no CMD: without arguments there is nobody to greet. Add CMD ["world"].')
        if (isShellForm(cmd)) return fail(`CMD is in shell form (stored as ${JSON.stringify(cmd)}), so greet.sh would receive "/bin/sh" as its first argument. Write CMD ["world"].`)
        if (JSON.stringify(cmd) !== JSON.stringify(['world'])) return fail(`CMD is ${JSON.stringify(cmd)}; it should hold only the default argument: CMD ["world"].`)
        return pass()
      },
    },
    {
      id: 'default',
      title: 'Without arguments it says "Hello, world!"',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        let result
        try {
          result = await ctx.run(image(ctx), {timeoutMs: 15_000})
        } catch (error) {
          return fail(`The container did not start: ${(error as Error).message}`)
        }
        if (result.stdout.trim() !== 'Hello, world!') return fail(`Without arguments it printed ${clip(result.stdout + result.stderr)}, expected "Hello, world!".`)
        return pass()
      },
    },
    {
      id: 'argument',
      title: 'With an argument it greets that argument',
      dependsOn: ['build'],
      hint: 3,
      async run(ctx) {
        const nonce = ctx.nonce()
        let result
        try {
          result = await ctx.run(image(ctx), {cmd: [nonce], timeoutMs: 15_000})
        } catch (error) {
          const message = (error as Error).message
          if (/executable file not found|no such file or directory/i.test(message)) return fail(`dk ran the image with the argument ${nonce} and Docker answered: ${clip(/exec: "[^"]*": [^:"]+/.exec(message)?.[0] ?? message, 160)}. ${CMD_ONLY.replace('"Ada"', `"${nonce}"`)}`)
          return fail(`dk ran the image with the argument ${nonce}; the container did not start: ${message}`)
        }
        const expected = `Hello, ${nonce}!`
        if (result.stdout.trim() === expected) return pass({argument: nonce})
        if (result.stdout.includes('Hello, world!'))
          return fail(`dk passed the argument ${nonce} but it still said "Hello, world!": the argument never reached greet.sh. That happens when ENTRYPOINT is in shell form (/bin/sh -c drops arguments); use ENTRYPOINT ["/usr/local/bin/${SCRIPT}"].`)
        return fail(`dk passed the argument ${nonce}; expected "${expected}", got ${clip(result.stdout + result.stderr)}.`)
      },
    },
  ],
})
