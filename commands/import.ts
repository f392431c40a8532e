import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import type {Readable} from 'node:stream'

import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {UsageError, fileError} from '../src/cli/errors.js'
import {Progress} from '../src/cli/progress.js'
import {connectEngine} from '../src/engine/connect.js'
import {Label} from '../src/engine/labels.js'
import {importRootfs} from '../src/workshop/import.js'

export default class Import extends DkCommand {
  static summary = 'Make an image from a tar of a root file system, like `docker import`'
  static description = `Streams the tar (plain, gzip, bzip2 or xz: the engine unpacks it) to the engine, which makes an image with exactly one layer; that layer's id (DiffID) is the sha256 of the uncompressed tar. --change applies Dockerfile instructions to the image's configuration (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, ONBUILD), as \`docker import -c\` does. Without REPOSITORY[:TAG] the image is untagged. dk adds its label io.dk.managed=true. Prints the new image id.`

  static examples = [
    {description: 'Exercise 2 of the workshop', command: `<%= config.bin %> import --change 'CMD ["/bin/sh"]' rootfs.tar workshop/base:1`},
    {description: 'From standard input', command: 'gzip -c rootfs.tar | <%= config.bin %> import - myimage:1'},
  ]

  static args = {
    file: Args.string({description: 'the tar file, or - for standard input', required: true, ignoreStdin: true}),
    reference: Args.string({ignoreStdin: true, description: 'REPOSITORY[:TAG] for the new image', required: false}),
  }

  static flags = {
    ...engineFlags,
    change: Flags.string({char: 'c', description: 'Dockerfile instruction to apply to the image (repeatable)', multiple: true, multipleNonGreedy: true}),
  }

  async run(): Promise<{id: string; reference?: string; bytes: number}> {
    const {args, flags} = await this.parse(Import)
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(args.file)) {
      throw new UsageError(`dk imports local files only, not URLs (${args.file}).`, {hint: 'Download it first (on a machine with network), then `dk import FILE`.'})
    }
    const reference = args.reference
    if (reference && !/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/.test(reference)) {
      throw new UsageError(`Invalid reference format: "${reference}".`, {hint: 'Use lower-case REPOSITORY[:TAG], e.g. workshop/base:1.'})
    }
    const changes = flags.change ?? []
    for (const change of changes) {
      const keyword = change.trim().split(/\s+/)[0]?.toUpperCase()
      if (!['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR'].includes(keyword ?? '')) {
        throw new UsageError(`${keyword || '(empty)'} is not supported by --change "${change}".`, {hint: 'Allowed: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR.'})
      }
    }
    let source: Readable
    let total: number | undefined
    if (args.file === '-') {
      source = process.stdin
    } else {
      try {
        const st = await stat(args.file)
        if (!st.isFile()) throw Object.assign(new Error('not a file'), {code: 'EISDIR'})
        total = st.size
      } catch (error) {
        throw fileError(error, args.file, 'tar file')
      }
      source = createReadStream(args.file)
    }
    const engine = await connectEngine({host: flags.host})
    const progress = new Progress({label: `Importing ${args.file === '-' ? 'stdin' : args.file}`, total, summary: false})
    let id: string
    try {
      id = await importRootfs(engine, source, {
        ref: reference ?? '',
        changes: [...changes, `LABEL ${JSON.stringify(Label.managed)}="true"`],
        onBytes: (n) => progress.add(n),
      })
    } catch (error) {
      progress.abort()
      throw error
    }
    progress.done()
    this.say(id)
    return {id, reference, bytes: progress.bytes}
  }
}
