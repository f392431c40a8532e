import {clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'

const NAME = 'dk-hello'
const IMAGE = 'busybox:latest'

/** Remove an earlier dk-hello (an attendee would `docker rm` it first). */
async function freshName(ctx: ExerciseContext): Promise<void> {
  if (await ctx.containerByName(NAME)) await ctx.removeContainer(NAME)
}

export default defineExercise({
  checks: [
    {
      id: 'container',
      title: `A container named ${NAME} exists`,
      hint: 1,
      async run(ctx) {
        const info = await ctx.containerByName(NAME)
        if (!info) return fail(`There is no container named ${NAME}. \`docker ps -a\` lists all containers; give yours the name with \`--name ${NAME}\`.`)
        return pass({containerId: info.Id})
      },
    },
    {
      id: 'image',
      title: `It was made from ${IMAGE}`,
      dependsOn: ['container'],
      hint: 2,
      async run(ctx) {
        const info = await ctx.inspectContainer(NAME)
        const expected = await ctx.inspectImage(IMAGE)
        if (info.Image !== expected.Id) return fail(`${NAME} was made from ${info.Config.Image} (${info.Image.slice(7, 19)}), not from ${IMAGE} (${expected.Id.slice(7, 19)}).`)
        return pass({imageId: info.Image})
      },
    },
    {
      id: 'exited',
      title: 'It has exited, with exit code 0',
      dependsOn: ['container'],
      hint: 2,
      async run(ctx) {
        const {State: state} = await ctx.inspectContainer(NAME)
        if (state.Running) return fail(`${NAME} is still running: its command should print the token and exit. Remove it (\`docker rm -f ${NAME}\`) and run echo, not a shell or sleep.`)
        if (state.Status === 'created') return fail(`${NAME} was created but never started (\`docker create\` does not start it); use \`docker run\`.`)
        if (state.ExitCode !== 0) return fail(`${NAME} exited with code ${state.ExitCode}, not 0: its command failed. \`docker logs ${NAME}\` shows what it said.`)
        return pass({exitCode: 0, finishedAt: state.FinishedAt})
      },
    },
    {
      id: 'output',
      title: 'It printed your token',
      dependsOn: ['container'],
      hint: 3,
      async run(ctx) {
        const logs = await ctx.logs(NAME)
        const printed = logs.stdout.trim()
        if (printed !== ctx.token) return fail(`${NAME} printed ${clip(logs.stdout + logs.stderr)}; expected exactly your token ${ctx.token}.`)
        return pass()
      },
    },
    {
      id: 'replay',
      title: 'Its command prints the token again when dk runs it',
      dependsOn: ['image', 'exited', 'output'],
      async run(ctx) {
        // Proves the command itself prints the token (not a log from some earlier container).
        const info = await ctx.inspectContainer(NAME)
        const again = await ctx.run(IMAGE, {cmd: info.Config.Cmd ?? undefined, entrypoint: info.Config.Entrypoint ?? undefined, timeoutMs: 15_000})
        if (again.stdout.trim() !== ctx.token) return fail(`Running ${IMAGE} with ${NAME}'s command printed ${clip(again.stdout)}, not your token.`)
        return pass()
      },
    },
  ],

  async solve(ctx) {
    await freshName(ctx)
    await ctx.run(IMAGE, {name: NAME, cmd: ['echo', ctx.token]})
  },

  actions: {
    async wrongName(ctx) {
      await freshName(ctx)
      await ctx.run(IMAGE, {name: 'dk-helo', cmd: ['echo', ctx.token]})
    },
    async stillRunning(ctx) {
      await freshName(ctx)
      await ctx.run(IMAGE, {name: NAME, cmd: ['sh', '-c', `echo ${ctx.token}; sleep 600`], detach: true})
    },
    async wrongOutput(ctx) {
      await freshName(ctx)
      await ctx.run(IMAGE, {name: NAME, cmd: ['echo', 'hello']})
    },
  },
})
