import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {OwnLabel, clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'
import {busyboxRootfsTar, findStaticBusybox} from '../../src/workshop/busybox-rootfs.js'
import {importRootfs} from '../../src/workshop/import.js'

const IMAGE = 'workshop/base:1'
const TAR = 'rootfs.tar'

/** sha256 of a file, streamed. */
function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('error', reject)
      .on('data', (b) => hash.update(b))
      .on('end', () => resolve(`sha256:${hash.digest('hex')}`))
  })
}

/** What `docker import --change … rootfs.tar workshop/base:1` does, with dk's labels so reset finds it. */
async function importAs(ctx: ExerciseContext, tar: Readable, changes: string[]): Promise<void> {
  const labels = Object.entries(ctx.labels({[OwnLabel.image]: IMAGE}, {keep: true}))
    .map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`)
    .join(' ')
  await importRootfs(await ctx.engine(), tar, {ref: IMAGE, changes: [...changes, `LABEL ${labels}`]})
}

const scaffoldedTar = (ctx: ExerciseContext) => createReadStream(join(ctx.dir, TAR)) as unknown as Readable

export default defineExercise({
  async scaffold(ctx) {
    await ctx.writeFile(TAR, (await busyboxRootfsTar(findStaticBusybox())) as unknown as NodeJS.ReadableStream)
  },

  checks: [
    {
      id: 'image',
      title: `The image ${IMAGE} exists`,
      hint: 1,
      async run(ctx) {
        if (!(await ctx.imageExists(IMAGE))) return fail(`There is no image ${IMAGE}. \`docker images workshop/base\` lists what is there; import ${TAR} under exactly that name and tag.`)
        return pass({imageId: (await ctx.inspectImage(IMAGE)).Id})
      },
    },
    {
      id: 'layer',
      title: `Its only layer is your ${TAR}`,
      dependsOn: ['image'],
      hint: 1,
      async run(ctx) {
        if (!(await ctx.fileExists(TAR))) return fail(`${TAR} is missing from ${ctx.dir}: \`dk exercise 2\` writes it again (your other files are kept).`)
        const expected = await sha256File(join(ctx.dir, TAR))
        const layers = (await ctx.inspectImage(IMAGE)).RootFS?.Layers ?? []
        if (layers.length !== 1) return fail(`${IMAGE} has ${layers.length} layers; an import makes exactly one. Was it built with a Dockerfile instead? Import ${TAR} with \`docker import\`.`)
        if (layers[0] !== expected) return fail(`The layer of ${IMAGE} (${layers[0].slice(0, 19)}…) is not your rootfs.tar (${expected.slice(0, 19)}…): import the ${TAR} that dk put in this folder, unchanged.`)
        return pass({diffId: expected})
      },
    },
    {
      id: 'cmd',
      title: 'Its default command is ["/bin/sh"]',
      dependsOn: ['image'],
      hint: 2,
      async run(ctx) {
        const cmd = (await ctx.inspectImage(IMAGE)).Config?.Cmd
        if (!cmd || cmd.length === 0) return fail(`${IMAGE} has no default command: \`docker run ${IMAGE}\` would not know what to start. Import it again with --change 'CMD ["/bin/sh"]'.`)
        if (cmd.length === 3 && cmd[0] === '/bin/sh' && cmd[1] === '-c')
          return fail(`The default command is ${JSON.stringify(cmd)}: CMD was given in shell form, so Docker wrapped it in /bin/sh -c. Use the JSON (exec) form: --change 'CMD ["/bin/sh"]'.`)
        if (JSON.stringify(cmd) !== JSON.stringify(['/bin/sh'])) return fail(`The default command is ${JSON.stringify(cmd)}, expected ["/bin/sh"].`)
        return pass()
      },
    },
    {
      id: 'runs',
      title: 'A shell in it runs commands',
      dependsOn: ['image'],
      hint: 3,
      async run(ctx) {
        const nonce = ctx.nonce()
        const result = await ctx.run(IMAGE, {cmd: ['sh', '-c', `echo ${nonce}`], timeoutMs: 15_000})
        if (result.exitCode !== 0 || result.stdout.trim() !== nonce)
          return fail(`dk ran \`sh -c 'echo ${nonce}'\` in ${IMAGE}: exit code ${result.exitCode}, output ${clip(result.stdout + result.stderr)}. Is /bin/sh in the image?`)
        return pass()
      },
    },
  ],

  async solve(ctx) {
    await importAs(ctx, scaffoldedTar(ctx), ['CMD ["/bin/sh"]'])
  },

  actions: {
    async importWithoutCmd(ctx) {
      await importAs(ctx, scaffoldedTar(ctx), [])
    },
    async importOtherTar(ctx) {
      // A different root file system: the same busybox with one more file.
      const {pack} = await import('tar-stream')
      const tar = pack()
      tar.entry({name: 'bin/', type: 'directory', mode: 0o755})
      tar.entry({name: 'bin/busybox', mode: 0o755}, await (await import('node:fs/promises')).readFile(findStaticBusybox().path))
      tar.entry({name: 'bin/sh', type: 'symlink', linkname: 'busybox'})
      tar.entry({name: 'etc/hello.txt', mode: 0o644}, 'not the scaffolded tar\n')
      tar.finalize()
      await importAs(ctx, tar as unknown as Readable, ['CMD ["/bin/sh"]'])
    },
    async importShellForm(ctx) {
      await importAs(ctx, scaffoldedTar(ctx), ['CMD /bin/sh'])
    },
  },
})
