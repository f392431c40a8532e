import {Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {out, err, humanSize, symbols} from '../src/cli/output.js'
import {connectEngine} from '../src/engine/connect.js'
import {type SetupItem, setupBaseImages} from '../src/workshop/setup.js'

export default class Setup extends DkCommand {
  static summary = 'Make the workshop\'s base images locally, without a registry'
  static description = `Makes busybox:latest from this machine's static busybox (Debian package busybox-static, installed when missing and running as root) and, with --debian, debian:bookworm with debootstrap (about a minute, needs root and Debian's mirror). Images dk makes carry the label io.dk.base=local; an image of the same name from a registry is never replaced. Running setup again changes nothing. dk never pulls unless you pass --pull.`

  static examples = [
    {description: 'Make busybox:latest', command: '<%= config.bin %> setup'},
    {description: 'Also make debian:bookworm (for the memcached exercise)', command: 'sudo <%= config.bin %> setup --debian'},
    {description: 'Pull the missing images from a registry instead', command: '<%= config.bin %> setup --pull'},
  ]

  static flags = {
    ...engineFlags,
    debian: Flags.boolean({description: 'also make debian:bookworm with debootstrap (~1 min, ~200 MB)'}),
    pull: Flags.boolean({description: 'pull missing images from a registry instead of making them (never the default)'}),
    rebuild: Flags.boolean({description: 'make again the images dk made before (never touches others)'}),
    mirror: Flags.string({description: 'Debian mirror for debootstrap', env: 'DK_DEBIAN_MIRROR'}),
  }

  async run(): Promise<{images: SetupItem[]; changed: boolean}> {
    const {flags} = await this.parse(Setup)
    const engine = await connectEngine({host: flags.host})
    const live = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    const bytes = new Map<string, number>()
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    let images: SetupItem[]
    try {
      images = await setupBaseImages(engine, {
        debian: flags.debian,
        pull: flags.pull,
        rebuild: flags.rebuild,
        mirror: flags.mirror,
        signal: controller.signal,
        onPhase: (image, message) => {
          if (this.jsonEnabled()) return
          if (live) process.stderr.write(`\r\u001B[K${err().cyan(image)} ${message}`)
          else process.stderr.write(`${image}: ${message}\n`)
        },
        onBytes: (image, n) => {
          const total = (bytes.get(image) ?? 0) + n
          bytes.set(image, total)
          if (live) process.stderr.write(`\r\u001B[K${err().cyan(image)} importing ${humanSize(total)}`)
        },
      })
    } finally {
      process.off('SIGINT', onSigint)
      if (live) process.stderr.write('\r\u001B[K')
    }
    const changed = images.some((i) => ['created', 'recreated', 'pulled'].includes(i.status))
    if (!this.jsonEnabled()) {
      const c = out()
      const s = symbols()
      for (const item of images) {
        const mark = item.status === 'skipped' ? c.dim(s.skip) : c.green(s.ok)
        const id = item.id ? c.dim(` ${item.id.slice(7, 19)}`) : ''
        const time = ['created', 'recreated', 'pulled'].includes(item.status) ? c.dim(` (${(item.durationMs / 1000).toFixed(1)}s)`) : ''
        this.say(`${mark} ${item.image}${id}: ${item.status} — ${item.detail}${time}`)
      }
      this.say(changed ? 'Base images are ready.' : 'Nothing to do: every base image was already there.')
    }
    return {images, changed}
  }
}
