/** `dk save`: the definition behind commands/save.ts and the fast path (see ../command-spec.ts). */
import {defineCommand, engineFlagSpecs} from '../command-spec.js'
import {UsageError} from '../errors.js'

export const save = defineCommand({
  id: 'save',
  summary: 'Write images to a tar archive, to share them without a registry',
  description: `All the images (and the tags you name) go into one archive that \`dk load\` or \`docker load\` reads. The file is written under a temporary name in the same directory and renamed at the end, so an interrupted save leaves nothing behind. A progress bar (with an ETA estimated from the images' sizes) goes to stderr.

--json data: {file, images: [{name, id, size}], bytes, estimatedBytes, gzip, durationMs}.
Exit codes: 0 saved; 1 the engine or the disk failed; 2 usage (e.g. -o - to a terminal); 4 no such image; 130 interrupted.`,
  examples: [
    {description: 'Save an image for a neighbour', command: '<%= config.bin %> save -o memcached.tar memcached'},
    {description: 'Several images in one compressed file', command: '<%= config.bin %> save --gzip -o workshop.tar.gz busybox debian:bookworm'},
    {description: 'To standard output', command: '<%= config.bin %> save -o - busybox | ssh host dk load -i -'},
  ],
  strict: false,
  args: {
    image: {description: 'Image name[:tag] or id (several allowed)', required: true, ignoreStdin: true},
  },
  flags: {
    ...engineFlagSpecs,
    output: {type: 'string', char: 'o', description: 'File to write, or - for standard output (the default, refused on a terminal)', default: '-'},
    gzip: {type: 'boolean', description: 'Compress the archive with gzip'},
  },

  async run({argv, flags}, io) {
    const toStdout = flags.output === '-'
    if (toStdout && process.stdout.isTTY)
      throw new UsageError('Refusing to write an image archive to the terminal.', {hint: 'Name a file with -o FILE, or redirect: dk save busybox > busybox.tar'})
    if (toStdout && io.json) throw new UsageError('--json needs -o FILE: standard output carries the JSON document.', {hint: 'dk save --json -o busybox.tar busybox'})
    const [{connectEngine}, {saveImages}, {Progress, withProgress}, {humanSize}] = await Promise.all([
      import('../../engine/connect.js'),
      import('../../engine/archive.js'),
      import('../progress.js'),
      import('../output.js'),
    ])
    const engine = await connectEngine({host: flags.host})
    const progress = new Progress({label: 'Saving', summary: !io.json})
    const result = await withProgress(progress, (signal) => saveImages(engine, argv, {file: flags.output, gzip: flags.gzip, signal, progress}))
    if (!toStdout) io.say(`Saved ${result.images.map((i) => i.name).join(', ')} to ${flags.output} (${humanSize(result.bytes)})`)
    return result
  },
})
