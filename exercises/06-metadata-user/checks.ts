/**
 * Exercise 6: LABEL, WORKDIR, USER. dk builds the attendee's Dockerfile under its own tag, reads the
 * config from the engine, then proves each setting in a container: `pwd`, `id -u`, and a file with a
 * random name written into /app/data as that user.
 */
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {buildCheck, clip, defineExercise, fail, pass, type ExerciseContext, type ImageInfo} from '../../src/exercises/kit.js'

const built = new WeakMap<ExerciseContext, {id: string; info: ImageInfo}>()

function image(ctx: ExerciseContext): {id: string; info: ImageInfo} {
  const found = built.get(ctx)
  if (!found) throw new Error('the build check did not record an image')
  return found
}

interface Probe {
  pwd: string
  uid: string
  /** "ok", or what touch said. */
  touch: string
  file: string
}
const probes = new WeakMap<ExerciseContext, Promise<Probe>>()

/**
 * One throw-away container answers all the in-container questions (pwd, uid, can it write a file
 * with a random name into /app/data), as the image's configured user: one start instead of three.
 */
function probe(ctx: ExerciseContext): Promise<Probe> {
  let p = probes.get(ctx)
  if (!p) {
    const file = `probe-${ctx.nonce()}`
    const script = `echo "pwd=$(pwd)"; echo "uid=$(id -u)"; if t=$(touch /app/data/${file} 2>&1) && [ -f /app/data/${file} ]; then echo touch=ok; else echo "touch=$t"; fi`
    p = ctx.run(image(ctx).id, {entrypoint: ['sh', '-c'], cmd: [script]}).then((r) => {
      const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(r.stdout)?.[1] ?? ''
      return {pwd: value('pwd'), uid: value('uid'), touch: value('touch') || r.stderr.trim(), file}
    })
    probes.set(ctx, p)
  }
  return p
}

/** The solution's label carries {{token}}: the attendee types their token; solve fills it in. */
async function fillTokenInDockerfile(ctx: ExerciseContext): Promise<void> {
  const file = join(ctx.dir, 'Dockerfile')
  const text = await readFile(file, 'utf8')
  if (text.includes('{{token}}')) await writeFile(file, text.replaceAll('{{token}}', ctx.token))
}

const USERS_FOR_UID_1000 = new Set(['app', '1000', 'app:app', '1000:1000', 'app:1000', '1000:app'])

export default defineExercise({
  checks: [
    buildCheck({remember: async (ctx, result) => void built.set(ctx, {id: result.id, info: await ctx.inspectImage(result.id)})}),
    {
      id: 'labels',
      title: 'Labels org.opencontainers.image.title and io.dk.attendee (your token)',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const labels = image(ctx).info.Config?.Labels ?? {}
        const title = labels['org.opencontainers.image.title']
        if (!title?.trim()) return fail('The image has no label org.opencontainers.image.title (or it is empty). LABEL key="value" adds one.')
        const attendee = labels['io.dk.attendee']
        if (attendee === undefined) return fail(`The image has no label io.dk.attendee. Add LABEL io.dk.attendee="${ctx.token}".`)
        if (attendee !== ctx.token) return fail(`The label io.dk.attendee is "${attendee}", but your token is "${ctx.token}".`)
        return pass({title, attendee})
      },
    },
    {
      id: 'workdir',
      title: 'The working directory is /app',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const workdir = image(ctx).info.Config?.WorkingDir ?? ''
        if (workdir !== '/app') return fail(`The image's WorkingDir is ${workdir ? `"${workdir}"` : 'not set'}; WORKDIR /app sets it.`)
        const {pwd} = await probe(ctx)
        if (pwd !== '/app') return fail(`In a container, pwd prints ${clip(pwd)} instead of /app.`)
        return pass({workdir})
      },
    },
    {
      id: 'user',
      title: 'The container runs as app (uid 1000), not root',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const user = image(ctx).info.Config?.User ?? ''
        if (!user) return fail('The image has no USER: containers from it run as root. USER app (after the RUN lines that need root).')
        if (!USERS_FOR_UID_1000.has(user)) return fail(`The image's User is "${user}"; the task asks for app (uid 1000).`)
        const {uid} = await probe(ctx)
        if (uid !== '1000') return fail(`In a container, id -u prints ${clip(uid)} instead of 1000.`)
        return pass({user, uid: 1000})
      },
    },
    {
      id: 'data-writable',
      title: 'The user app can write into /app/data',
      dependsOn: ['user'],
      hint: 2,
      async run(ctx) {
        const {touch, file} = await probe(ctx)
        if (touch !== 'ok') {
          return fail(`As user ${image(ctx).info.Config?.User}, dk cannot write into /app/data: ${clip(touch)}. Create the folder and chown it to app before the USER line.`)
        }
        return pass({wrote: `/app/data/${file}`})
      },
    },
    {
      id: 'runs',
      title: 'The default command runs as uid 1000 in /app',
      dependsOn: ['data-writable', 'workdir'],
      hint: 2,
      async run(ctx) {
        const result = await ctx.run(image(ctx).id)
        if (result.exitCode !== 0 || !/user=1000 dir=\/app visits=1\b/.test(result.stdout)) {
          return fail(`The default command printed ${clip(result.stdout || result.stderr)} (exit code ${result.exitCode}); expected "user=1000 dir=/app visits=1".`)
        }
        return pass({output: result.stdout.trim()})
      },
    },
  ],

  async solve(ctx) {
    await fillTokenInDockerfile(ctx)
    await ctx.build('.', {tag: 'workshop/visits:1'})
  },

  actions: {
    /** A test attempt's files carry {{token}} like the solution; build them as the attendee would. */
    async build(ctx) {
      await fillTokenInDockerfile(ctx)
      await ctx.build('.', {tag: 'workshop/visits:1'})
    },
  },
})
