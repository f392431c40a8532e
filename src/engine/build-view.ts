/**
 * How `dk build` shows a build while it runs. Two views of the same events:
 * - plain (pipes, CI, logs): Docker's own lines ("Step 2/5 : RUN make", " ---> Using cache",
 *   " ---> Running in …", the RUN output, "Successfully built …"), so logs read like `docker build`;
 * - compact (a TTY): one bold header per step, cache hits folded into it, RUN output indented and
 *   dimmed, none of the builder's bookkeeping lines.
 * The context upload goes to a progress line on stderr and ends with Docker's
 * "Sending build context to Docker daemon  X" line.
 */
import {Progress} from '../cli/progress.js'
import {out, symbols} from '../cli/output.js'
import {type BuildEvent, sendingContextLine} from './build-stream.js'
import {shortId} from './images.js'

export interface BuildViewOptions {
  compact: boolean
  /** Print nothing but the progress line (`-q`, `--json`). */
  quiet: boolean
  write: (line: string) => void
  /** Live progress on stderr (default: stderr is a TTY). */
  liveProgress?: boolean
}

export class BuildView {
  private readonly progress: Progress
  private uploaded = false
  private stepOpen = false

  constructor(private readonly options: BuildViewOptions) {
    this.progress = new Progress({label: 'Sending build context', live: options.liveProgress, summary: !options.quiet})
  }

  readonly onEvent = (event: BuildEvent): void => {
    if (event.type === 'upload') {
      if (!event.done) {
        this.progress.add(event.bytes - this.progress.bytes)
        return
      }
      if (this.uploaded) return
      this.uploaded = true
      this.progress.add(event.bytes - this.progress.bytes)
      if (this.options.quiet) this.progress.abort()
      else this.progress.done(sendingContextLine(event.bytes))
      return
    }
    if (this.options.quiet) return
    const c = out()
    const say = this.options.write
    if (this.options.compact) {
      switch (event.type) {
        case 'step':
          say(`${c.bold(`[${event.number}/${event.total}]`)} ${event.instruction}`)
          break
        case 'cache':
          say(c.dim('      cached'))
          break
        case 'output':
          say(c.dim(`      ${event.stderr ? c.red(event.text) : event.text}`))
          break
        case 'tagged':
          say(`${c.green(symbols().ok)} Tagged ${event.tag}`)
          break
        case 'built':
          say(`${c.green(symbols().ok)} Built ${shortId(event.id)}`)
          break
        default:
          break
      }
      return
    }
    switch (event.type) {
      case 'step':
        this.stepOpen = true
        say(`Step ${event.number}/${event.total} : ${event.instruction}`)
        break
      case 'cache':
        say(' ---> Using cache')
        break
      case 'running':
        say(` ---> Running in ${event.containerId}`)
        break
      case 'layer':
        say(` ---> ${event.id}`)
        break
      case 'output':
        say(event.text)
        break
      case 'built':
        say(`Successfully built ${shortId(event.id)}`)
        break
      case 'tagged':
        say(`Successfully tagged ${event.tag}`)
        break
      default:
        break
    }
  }

  /** Stop the progress line without a summary (the build failed or was interrupted). */
  abort(): void {
    this.progress.abort()
  }

  get sawSteps(): boolean {
    return this.stepOpen
  }
}
