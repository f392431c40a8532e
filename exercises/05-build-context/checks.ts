/**
 * Exercise 5: the build context. The context checks use dk's own context planner (the same one
 * `dk build` and `dk context` use), so they say exactly what a build would send; the image checks
 * then prove what reached the image. Each verify run drops a random file into secrets/ and big-junk/
 * so that only a rule for the whole folder passes, not one that names today's file.
 */
import {lstat, readdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {buildCheck, clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'

const JUNK_BYTES = 32 * 1024 * 1024
const STYLE_CSS = 'body { font-family: sans-serif; }'

const imageOf = new WeakMap<ExerciseContext, string>()
const probesOf = new WeakMap<ExerciseContext, Promise<{secret: string; junk: string}>>()

/** Drop one random file into each folder that must stay out (removed after the run). */
function probes(ctx: ExerciseContext): Promise<{secret: string; junk: string}> {
  let made = probesOf.get(ctx)
  if (!made) {
    made = (async () => {
      const secret = `secrets/dk-probe-${ctx.nonce()}.txt`
      const junk = `big-junk/dk-probe-${ctx.nonce()}.bin`
      for (const rel of [secret, junk]) {
        await writeFile(join(ctx.dir, rel), `${ctx.nonce()}\n`)
        ctx.cleanupLater(() => rm(join(ctx.dir, rel), {force: true}))
      }
      return {secret, junk}
    })()
    probesOf.set(ctx, made)
  }
  return made
}

/**
 * What `dk build .` would send, from dk's context planner (Docker-exact .dockerignore rules).
 * Local until the kit's ctx.context() calls src/context itself (its stand-in ignores .dockerignore).
 */
async function contextFiles(ctx: ExerciseContext): Promise<{files: string[]; bytes: number}> {
  await probes(ctx)
  const {planContext} = await import('../../src/context/index.js')
  const {contextEntries} = await import('../../src/context/report.js')
  const plan = await planContext(ctx.dir, {cwd: ctx.dir})
  const files: string[] = []
  let bytes = 0
  for (const entry of contextEntries(plan)) {
    if (entry.type === 'file') files.push(entry.path)
    bytes += entry.size
  }
  return {files, bytes}
}

/** Bytes under a folder, symlinks not followed: "what would be sent without .dockerignore". */
async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const name of await readdir(dir)) {
    const st = await lstat(join(dir, name))
    total += st.isDirectory() ? await folderBytes(join(dir, name)) : st.isFile() ? st.size : 0
  }
  return total
}

const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`)

async function builtImage(ctx: ExerciseContext): Promise<string> {
  const id = imageOf.get(ctx)
  if (!id) throw new Error('the build check did not record an image')
  return id
}

type Section = 'www' | 'wwwStatus' | 'assets' | 'css' | 'secrets'
const looks = new WeakMap<ExerciseContext, Promise<Record<Section, string>>>()

/** One throw-away container reports everything the image checks need: one start instead of three. */
async function lookInside(ctx: ExerciseContext): Promise<Record<Section, string>> {
  let found = looks.get(ctx)
  if (!found) {
    const mark = `@@dk-${ctx.nonce()}`
    const script = [
      `echo ${mark}-www; cat /www/index.html 2>&1`,
      `echo ${mark}-wwwStatus; [ -f /www/index.html ] && echo present || echo missing`,
      `echo ${mark}-assets; ls -A /opt/assets 2>&1`,
      `echo ${mark}-css; cat /opt/assets/style.css 2>/dev/null`,
      `echo ${mark}-secrets; find / -xdev -name api-key.txt 2>/dev/null`,
    ].join('; ')
    found = builtImage(ctx)
      .then((id) => ctx.run(id, {entrypoint: ['sh', '-c'], cmd: [script]}))
      .then((r) => {
        const sections = {} as Record<Section, string>
        for (const part of r.stdout.split(`${mark}-`).slice(1)) {
          const newline = part.indexOf('\n')
          sections[part.slice(0, newline) as Section] = part.slice(newline + 1).trim()
        }
        return sections
      })
    looks.set(ctx, found)
  }
  return found
}

/** 32 MB of zeros, generated in chunks so the package stays small and nothing sits in memory. */
function junkStream(): Readable {
  const chunk = Buffer.alloc(1024 * 1024)
  let left = JUNK_BYTES / chunk.length
  return new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null)
    },
  })
}

export default defineExercise({
  async scaffold(ctx) {
    await ctx.writeFile('big-junk/cache.bin', junkStream())
  },

  fast: ['context-no-secrets', 'context-no-junk', 'context-keeps-inputs'],

  checks: [
    {
      id: 'context-no-secrets',
      title: 'Nothing under secrets/ is sent to the engine',
      hint: 2,
      async run(ctx) {
        const {secret} = await probes(ctx)
        const {files} = await contextFiles(ctx)
        const leaked = files.filter((f) => f.startsWith('secrets/'))
        if (leaked.length === 0) return pass({excluded: 'secrets/'})
        const shown = leaked.map((f) => (f === secret ? `${f} (a file dk put there just now)` : f))
        return fail(`The build context still contains ${shown.join(', ')}. Add a pattern to .dockerignore that keeps the whole secrets/ folder out (patterns are relative to the context root).`)
      },
    },
    {
      id: 'context-no-junk',
      title: 'Nothing under big-junk/ is sent to the engine',
      hint: 2,
      async run(ctx) {
        const {files, bytes} = await contextFiles(ctx)
        const leaked = files.filter((f) => f.startsWith('big-junk/'))
        const before = await folderBytes(ctx.dir)
        if (leaked.length > 0) {
          return fail(`The build context still contains ${leaked.join(', ')} (${mb(bytes)} in all). Keep the big-junk/ folder out with .dockerignore.`)
        }
        return pass({contextBytes: bytes, folderBytes: before, contextSize: mb(bytes), folderSize: mb(before)})
      },
    },
    {
      id: 'context-keeps-inputs',
      title: 'site/index.html and assets.tar.gz are still sent',
      hint: 2,
      async run(ctx) {
        const {files} = await contextFiles(ctx)
        const missing = ['site/index.html', 'assets.tar.gz'].filter((f) => !files.includes(f))
        if (missing.length === 0) return pass()
        return fail(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} excluded by .dockerignore, so COPY/ADD cannot see ${missing.length > 1 ? 'them' : 'it'}. Name only the folders to leave out.`)
      },
    },
    buildCheck({dependsOn: ['context-keeps-inputs'], remember: (ctx, result) => void imageOf.set(ctx, result.id)}),
    {
      id: 'site-copied',
      title: 'The page is at /www/index.html in the image',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const expected = (await ctx.readFile('site/index.html')).trim()
        const inside = await lookInside(ctx)
        if (inside.wwwStatus !== 'present') return fail(`/www/index.html is not in the image (${clip(inside.www)}). COPY site/ /www/ copies the folder's content into /www.`)
        if (inside.www !== expected) return fail(`/www/index.html in the image is not site/index.html: ${clip(inside.www)}`)
        return pass()
      },
    },
    {
      id: 'assets-unpacked',
      title: 'assets.tar.gz is unpacked under /opt/assets/',
      dependsOn: ['build'],
      hint: 2,
      async run(ctx) {
        const {assets: names, css} = await lookInside(ctx)
        if (/assets\.tar\.gz/.test(names)) {
          return fail(`/opt/assets holds the archive itself (${clip(names)}): it was copied, not unpacked. ADD unpacks local tar archives; COPY does not.`)
        }
        if (css.trim() !== STYLE_CSS) return fail(`/opt/assets/style.css is missing or different (/opt/assets: ${clip(names)}). ADD assets.tar.gz /opt/assets/`)
        return pass({files: names.trim().split(/\s+/)})
      },
    },
    {
      id: 'no-secret-in-image',
      title: 'No api-key.txt anywhere in the image',
      dependsOn: ['build'],
      hint: 1,
      async run(ctx) {
        const paths = (await lookInside(ctx)).secrets
        if (paths) return fail(`The image contains ${paths.split('\n').join(', ')}. Keep secrets/ out of the context, then nothing can copy it.`)
        return pass()
      },
    },
  ],
})
