/** `dk build`: the definition behind commands/build.ts and the fast path (see ../command-spec.ts). */
import type {BuildResult} from '../../engine/build.js'
import {defineCommand, engineFlagSpecs} from '../command-spec.js'
import {DkError} from '../errors.js'

/** `--json` data: the build's result without the lint findings and output lines shown in text mode. */
export type BuildJson = Pick<BuildResult, 'id' | 'tags' | 'durationMs' | 'contextBytes' | 'steps' | 'warnings'>

export const build = defineCommand({
  id: 'build',
  summary: 'Build an image from a Dockerfile (classic builder, context filtered by .dockerignore)',
  description: `Lints the Dockerfile first (errors stop the build unless --no-lint), checks that the base images are local (dk never pulls on its own), sends the context as a stream and shows the build live: Docker's own lines when the output is a pipe or a log, a compact view on a terminal.

A build fails when the builder reports an error, even though the engine answers "200 OK": dk then shows the failing step, its command, its exit status and its last lines of output.

Exit codes: 0 built; 1 lint errors or a failed step; 2 bad flags; 3 no engine; 4 Dockerfile, directory or base image missing; 130 interrupted (the engine removes the step's container).`,
  examples: [
    {description: 'Build the current directory and tag the image', command: '<%= config.bin %> build -t memcached .'},
    {description: 'Two tags, a build argument and a label', command: '<%= config.bin %> build -t web:1.0 -t web:latest --build-arg VERSION=1.0 --label team=ops .'},
    {description: 'A Dockerfile outside the context', command: '<%= config.bin %> build -f ../dockerfiles/web.Dockerfile ./app'},
    {description: 'The Dockerfile from standard input', command: '<%= config.bin %> build -f - . < Dockerfile.dev'},
    {description: 'Only print the image id; write it to a file too', command: '<%= config.bin %> build -q --iidfile image.id .'},
    {description: 'Machine-readable result', command: '<%= config.bin %> build --json -t web .'},
  ],
  args: {
    dir: {description: 'Build context directory', default: '.', ignoreStdin: true},
  },
  flags: {
    ...engineFlagSpecs,
    tag: {type: 'string', char: 't', description: 'Name and optional tag, name:tag (repeatable)', multiple: true, multipleNonGreedy: true},
    file: {type: 'string', char: 'f', description: 'Dockerfile path (default DIR/Dockerfile; may be outside DIR; - reads standard input)'},
    'build-arg': {type: 'string', description: 'Build-time variable K=V, or K to take the value from the environment (repeatable)', multiple: true, multipleNonGreedy: true},
    target: {type: 'string', description: 'Build up to this stage of a multi-stage Dockerfile'},
    'no-cache': {type: 'boolean', description: 'Do not use the build cache'},
    pull: {type: 'boolean', description: 'Let the engine pull newer base images from a registry (never the default)'},
    label: {type: 'string', description: 'Image label key=value (repeatable)', multiple: true, multipleNonGreedy: true},
    quiet: {type: 'boolean', char: 'q', description: 'Print only the image id'},
    iidfile: {type: 'string', description: 'Write the image id to this file'},
    network: {type: 'string', description: 'Network for RUN steps: bridge, host, none or a network name'},
    'no-lint': {type: 'boolean', description: 'Build even when the linter finds errors'},
  },

  async run({args, flags}, io): Promise<BuildJson> {
    const [{connectEngine}, {buildImage, parseBuildArgs, parseLabels, readStdinText, writeIidFile}, {BuildView}, {attendeeLabels}, {abortOnInterrupt}, {err}] =
      await Promise.all([
        import('../../engine/connect.js'),
        import('../../engine/build.js'),
        import('../../engine/build-view.js'),
        import('../../exercises/attendee-labels.js'),
        import('../interrupt.js'),
        import('../output.js'),
      ])
    const json = io.json
    const dockerfileContent = flags.file === '-' ? await readStdinText() : undefined
    const buildArgs = parseBuildArgs(flags['build-arg'])
    // Inside a workshop exercise folder the image also carries that exercise's labels, so that
    // `dk exercise reset` removes it; the user's --label wins.
    const labels = {...attendeeLabels(args.dir ?? '.', {image: flags.tag?.[0]}), ...parseLabels(flags.label)}
    const engine = await connectEngine({host: flags.host})
    const view = new BuildView({
      compact: Boolean(process.stdout.isTTY) && !process.env.CI,
      quiet: json || Boolean(flags.quiet),
      write: (line) => io.say(line),
    })
    const interrupt = abortOnInterrupt()
    try {
      const result = await buildImage(
        engine,
        {
          dir: args.dir,
          dockerfile: flags.file,
          dockerfileContent,
          tags: flags.tag,
          buildArgs,
          labels,
          target: flags.target,
          noCache: flags['no-cache'],
          pull: flags.pull,
          network: flags.network,
          signal: interrupt.signal,
          lint: !flags['no-lint'],
        },
        (event) => {
          if (event.type === 'warning') io.note(event.message)
          else view.onEvent(event)
        },
      )
      if (flags.iidfile) await writeIidFile(flags.iidfile, result.id)
      if (flags.quiet) io.say(result.id)
      const {id, tags, durationMs, contextBytes, steps, warnings} = result
      return {id, tags, durationMs, contextBytes, steps, warnings}
    } catch (error) {
      view.abort()
      // The failing step's output is on screen already in the live views; -q hides it, so show it here.
      if (!json && flags.quiet && error instanceof DkError && Array.isArray(error.details?.lastLines)) {
        for (const line of error.details.lastLines as string[]) process.stderr.write(`${err().dim(line)}\n`)
      }
      if (!json && error instanceof DkError && error.code === 'LINT_ERRORS') {
        for (const f of (error.details?.findings ?? []) as Array<{file: string; line: number; column: number; severity: string; rule: string; message: string}>)
          process.stderr.write(`${f.file}:${f.line}:${f.column} ${f.severity === 'error' ? err().red(f.severity) : err().yellow(f.severity)} ${f.rule} ${f.message}\n`)
      }
      throw error
    } finally {
      interrupt.dispose()
    }
  },
})
