import {Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {UsageError} from '../src/cli/errors.js'
import {abortOnInterrupt} from '../src/cli/interrupt.js'
import {Progress} from '../src/cli/progress.js'
import {loadImages, type LoadResult} from '../src/engine/archive.js'
import {connectEngine} from '../src/engine/connect.js'

export default class Load extends DkCommand {
  static summary = 'Load images from a tar archive made by `dk save` or `docker save`'
  static description = `Plain tar or gzip, detected from the first bytes. A file that is not an image archive, or one that is cut short, is refused with its name; nothing half-loaded is tagged.

--json data: {file, images: ["name:tag" | "sha256:…"], compressed: "gzip"|"none", bytes, durationMs}.
Exit codes: 0 loaded; 1 damaged or foreign archive; 2 usage; 4 no such file; 130 interrupted.`

  static examples = [
    {description: 'Load what a neighbour saved', command: '<%= config.bin %> load -i memcached.tar'},
    {description: 'From standard input (plain or gzip)', command: 'gunzip -c workshop.tar.gz | <%= config.bin %> load'},
  ]

  static flags = {
    ...engineFlags,
    input: Flags.string({char: 'i', description: 'Archive to read, or - for standard input (the default)', default: '-'}),
    quiet: Flags.boolean({char: 'q', description: 'Do not show progress'}),
  }

  async run(): Promise<LoadResult> {
    const {flags} = await this.parse(Load)
    if (flags.input === '-' && process.stdin.isTTY)
      throw new UsageError('Standard input is a terminal, not an archive.', {hint: 'Name a file with -i FILE, or redirect one: dk load < busybox.tar'})
    const engine = await connectEngine({host: flags.host})
    const progress = new Progress({label: 'Loading', summary: !flags.quiet && !this.jsonEnabled(), live: flags.quiet || this.jsonEnabled() ? false : undefined})
    const interrupt = abortOnInterrupt()
    try {
      const result = await loadImages(engine, {file: flags.input, signal: interrupt.signal, progress})
      progress.done()
      for (const image of result.images) this.say(image.startsWith('sha256:') ? `Loaded image ID: ${image}` : `Loaded image: ${image}`)
      return result
    } catch (error) {
      progress.abort()
      throw error
    } finally {
      interrupt.dispose()
    }
  }
}
