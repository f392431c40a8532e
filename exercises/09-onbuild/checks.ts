/**
 * Exercise 9: ONBUILD. The parent's triggers are read from its config; dk then builds the attendee's
 * one-line child itself (triggers run with the child's context), runs it with a random GREETING, and
 * builds a copy of the child without app.sh, which must fail: that is what proves the RUN trigger
 * really checks something.
 */
import {copyFile, mkdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {clip, defineExercise, fail, pass, type ExerciseContext} from '../../src/exercises/kit.js'

const PARENT = 'workshop/onbuild:1'
const CHILD = 'workshop/onbuild-app:1'

const childOf = new WeakMap<ExerciseContext, string>()

function child(ctx: ExerciseContext): string {
  const id = childOf.get(ctx)
  if (!id) throw new Error('the child-build check did not record an image')
  return id
}

async function buildBoth(ctx: ExerciseContext): Promise<void> {
  await ctx.build('base', {tag: PARENT})
  await ctx.build('app', {tag: CHILD})
}

/** Instructions of a Dockerfile, with dk's parser (comments, continuations and parser directives handled). */
async function instructionsOf(text: string): Promise<Array<{keyword: string; args: string}>> {
  const {parseDockerfile} = await import('../../src/dockerfile/parse.js')
  const {model} = parseDockerfile(text)
  if (!model) return []
  const all = [...model.preamble, ...model.stages.flatMap((s) => [s.from, ...s.instructions])]
  return all.map((i) => ({keyword: i.getKeyword().toUpperCase(), args: i.getArgumentsContent() ?? ''}))
}

export default defineExercise({
  fast: ['child-dockerfile'],
  checks: [
    {
      id: 'child-dockerfile',
      title: `app/Dockerfile is a single FROM ${PARENT}`,
      hint: 1,
      async run(ctx) {
        const instructions = await instructionsOf(await ctx.readFile('app/Dockerfile'))
        const [first, ...rest] = instructions
        if (!first || first.keyword !== 'FROM') return fail('app/Dockerfile must start with FROM workshop/onbuild:1.')
        if (first.args.trim() !== PARENT) return fail(`app/Dockerfile builds FROM ${first.args.trim()}, not ${PARENT}.`)
        if (rest.length > 0) return fail(`app/Dockerfile must contain only its FROM line; it also has ${rest.map((i) => i.keyword).join(', ')}. Move that work into ONBUILD triggers of the base image.`)
        return pass()
      },
    },
    {
      id: 'parent-image',
      title: `${PARENT} exists`,
      hint: 3,
      async run(ctx) {
        if (!(await ctx.imageExists(PARENT))) return fail(`There is no image ${PARENT} yet: \`dk build -t ${PARENT} base\`.`)
        return pass({image: (await ctx.inspectImage(PARENT)).Id})
      },
    },
    {
      id: 'parent-onbuild',
      title: `${PARENT} holds a COPY trigger and a RUN trigger`,
      dependsOn: ['parent-image'],
      hint: 2,
      async run(ctx) {
        const triggers = (await ctx.inspectImage(PARENT)).Config?.OnBuild ?? []
        if (triggers.length === 0) return fail(`${PARENT} has no ONBUILD triggers. In base/Dockerfile: ONBUILD COPY . /app/ and ONBUILD RUN <a check>, then build it again.`)
        const keyword = (t: string) => t.trim().split(/\s+/)[0].toUpperCase()
        const copy = triggers.find((t) => ['COPY', 'ADD'].includes(keyword(t)))
        const run = triggers.find((t) => keyword(t) === 'RUN')
        if (!copy) return fail(`${PARENT}'s triggers (${triggers.join(' | ')}) copy nothing: add ONBUILD COPY . /app/.`)
        if (!run) return fail(`${PARENT}'s triggers (${triggers.join(' | ')}) have no RUN: add ONBUILD RUN test -f /app/app.sh && sh -n /app/app.sh, so a child without a valid app.sh fails to build.`)
        return pass({onbuild: triggers})
      },
    },
    {
      id: 'child-build',
      title: 'dk builds app/ unchanged; the triggers run in its build',
      dependsOn: ['child-dockerfile', 'parent-onbuild'],
      hint: 2,
      async run(ctx) {
        const result = await ctx.build('app')
        childOf.set(ctx, result.id)
        const triggered = /Executing \d+ build triggers?/i.exec(result.output)?.[0]
        return pass({image: result.id, ...(triggered ? {builder: triggered} : {})})
      },
    },
    {
      id: 'child-runs',
      title: 'The child prints a random GREETING: app.sh was copied by the trigger',
      dependsOn: ['child-build'],
      hint: 2,
      async run(ctx) {
        const greeting = ctx.nonce()
        const result = await ctx.run(child(ctx), {env: {GREETING: greeting}})
        if (result.exitCode !== 0 || !result.stdout.includes(greeting)) {
          return fail(`Run with GREETING=${greeting}, the child printed ${clip(result.stdout || result.stderr)} (exit code ${result.exitCode}). The COPY trigger must put app.sh at /app/app.sh.`)
        }
        return pass({greeting, output: result.stdout.trim()})
      },
    },
    {
      id: 'child-onbuild-empty',
      title: "The child's own config has no triggers left",
      dependsOn: ['child-build'],
      hint: 1,
      async run(ctx) {
        const triggers = (await ctx.inspectImage(child(ctx))).Config?.OnBuild ?? []
        if (triggers.length > 0) return fail(`The child still carries triggers (${triggers.join(' | ')}); ONBUILD ONBUILD is not allowed, and triggers are not meant to be passed on.`)
        return pass({onbuild: []})
      },
    },
    {
      id: 'trigger-guards',
      title: 'A child without app.sh fails to build',
      dependsOn: ['child-build'],
      hint: 2,
      async run(ctx) {
        const probe = `.dk-probe-${ctx.nonce()}`
        const dir = join(ctx.dir, probe)
        await mkdir(dir)
        ctx.cleanupLater(() => rm(dir, {recursive: true, force: true}))
        await copyFile(join(ctx.dir, 'app', 'Dockerfile'), join(dir, 'Dockerfile'))
        await writeFile(join(dir, 'README.txt'), 'An app folder someone forgot to put app.sh into.\n')
        try {
          await ctx.build(probe)
        } catch (error) {
          return pass({buildWithoutAppSh: 'failed, as it should', reason: clip((error as Error).message, 200)})
        }
        return fail('dk built a copy of app/ without app.sh, and the build succeeded: your RUN trigger does not check for /app/app.sh. Use ONBUILD RUN test -f /app/app.sh && sh -n /app/app.sh.')
      },
    },
  ],

  solve: buildBoth,
  actions: {'build-both': buildBoth},
})
