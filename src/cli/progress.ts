/**
 * A progress display for long transfers (context upload, save, load, setup). On a TTY it redraws
 * one line on stderr, at most ten times a second; elsewhere it stays silent until `done()`, so logs
 * and pipes get one final line instead of hundreds. It never writes to stdout.
 */
import {abortOnInterrupt} from './interrupt.js'
import {err, humanSize} from './output.js'

export interface ProgressOptions {
  /** Label shown before the numbers, e.g. "Sending build context". */
  label: string
  /** Total bytes when known: adds a bar, a percentage and an ETA. */
  total?: number
  /** Force the live display on or off (default: stderr is a TTY and not CI). */
  live?: boolean
  stream?: NodeJS.WriteStream
  /** Print the final summary line even when not live (default true). */
  summary?: boolean
}

export class Progress {
  private done_ = 0
  private readonly started = Date.now()
  private lastDraw = 0
  private readonly live: boolean
  private readonly stream: NodeJS.WriteStream
  private finished = false

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr
    this.live = options.live ?? (Boolean(this.stream.isTTY) && !process.env.CI)
  }

  get bytes(): number {
    return this.done_
  }

  /** Count bytes that went through. */
  add(bytes: number): void {
    this.done_ += bytes
    if (!this.live) return
    const now = Date.now()
    if (now - this.lastDraw < 100) return
    this.lastDraw = now
    this.stream.write(`\r${this.render(now)}\u001B[K`)
  }

  setTotal(total: number): void {
    this.options.total = total
  }

  /** Finish: replace the live line with a summary (or print the summary once when not live). */
  done(message?: string): void {
    if (this.finished) return
    this.finished = true
    const text = message ?? this.render(Date.now(), true)
    if (this.live) this.stream.write(`\r${text}\u001B[K\n`)
    else if (this.options.summary !== false) this.stream.write(`${text}\n`)
  }

  /** Stop without a summary (on failure), clearing the live line. */
  abort(): void {
    if (this.finished) return
    this.finished = true
    if (this.live) this.stream.write('\r\u001B[K')
  }

  private render(now: number, final = false): string {
    const c = err()
    const seconds = Math.max((now - this.started) / 1000, 0.001)
    const rate = this.done_ / seconds
    const parts = [c.bold(this.options.label), humanSize(this.done_)]
    const total = this.options.total
    if (total && total > 0 && !final) {
      const ratio = Math.min(this.done_ / total, 1)
      const width = 24
      const filled = Math.round(ratio * width)
      parts.splice(1, 0, `[${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}]`)
      parts.push(`/ ${humanSize(total)}`, `${Math.floor(ratio * 100)}%`)
      if (rate > 0 && ratio < 1) parts.push(c.dim(`ETA ${Math.ceil((total - this.done_) / rate)}s`))
    }
    parts.push(c.dim(`${humanSize(rate)}/s`))
    if (final) parts.push(c.dim(`in ${seconds.toFixed(1)}s`))
    return parts.join(' ')
  }
}

/**
 * A transfer under a progress display and Ctrl-C: the signal it gets aborts on SIGINT, and the
 * display ends with its summary on success or is cleared on failure.
 */
export async function withProgress<T>(progress: Progress, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = abortOnInterrupt()
  try {
    const result = await work(interrupt.signal)
    progress.done()
    return result
  } catch (error) {
    progress.abort()
    throw error
  } finally {
    interrupt.dispose()
  }
}
