/** `dk load`: the definition behind commands/load.ts and the fast path (see ../command-spec.ts). */
import {access, constants} from 'node:fs/promises'

import {defineCommand, engineFlagSpecs} from '../command-spec.js'
import {UsageError, fileError} from '../errors.js'

export const load = defineCommand({
  id: 'load',
  summary: 'Load images from a tar archive made by `dk save` or `docker save`',
  description: `Plain tar or gzip, detected from the first bytes. A file that is not an image archive, or one that is cut short, is refused with its name; nothing half-loaded is tagged.

--json data: {file, images: ["name:tag" | "sha256:…"], compressed: "gzip"|"none", bytes, durationMs}.
Exit codes: 0 loaded; 1 damaged or foreign archive; 2 usage; 4 no such file; 130 interrupted.`,
  examples: [
    {description: 'Load what a neighbour saved', command: '<%= config.bin %> load -i memcached.tar'},
    {description: 'From standard input (plain or gzip)', command: 'gunzip -c workshop.tar.gz | <%= config.bin %> load'},
  ],
  args: {},
  flags: {
    ...engineFlagSpecs,
    input: {type: 'string', char: 'i', description: 'Archive to read, or - for standard input (the default)', default: '-'},
    quiet: {type: 'boolean', char: 'q', description: 'Do not show progress'},
  },

  async run({flags}, io) {
    if (flags.input === '-' && process.stdin.isTTY)
      throw new UsageError('Standard input is a terminal, not an archive.', {hint: 'Name a file with -i FILE, or redirect one: dk load < busybox.tar'})
    // A missing file is said before an engine that is down, as `docker load -i` does (it opens the file first).
    if (flags.input !== '-') await access(flags.input, constants.R_OK).catch((error) => Promise.reject(fileError(error, flags.input, 'archive')))
    const [{connectEngine}, {loadImages}, {Progress, withProgress}] = await Promise.all([
      import('../../engine/connect.js'),
      import('../../engine/archive.js'),
      import('../progress.js'),
    ])
    const engine = await connectEngine({host: flags.host})
    const progress = new Progress({label: 'Loading', summary: !flags.quiet && !io.json, live: flags.quiet || io.json ? false : undefined})
    const result = await withProgress(progress, (signal) => loadImages(engine, {file: flags.input, signal, progress}))
    for (const image of result.images) io.say(image.startsWith('sha256:') ? `Loaded image ID: ${image}` : `Loaded image: ${image}`)
    return result
  },
})
