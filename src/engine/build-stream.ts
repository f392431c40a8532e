/**
 * Decoding the classic builder's answer to POST /build.
 *
 * The engine answers HTTP 200 and then streams JSON messages separated by CRLF: `{"stream": "..."}`
 * text (step headers, RUN output, " ---> id" layer lines), `{"aux": {"ID": "sha256:…"}}` with the
 * final image id, and, when anything fails, `{"error": "...", "errorDetail": {"code", "message"}}`.
 * That last kind is the only sign of a failed build (docker-modem's followProgress reports success),
 * so the decoder turns every line into a typed event and remembers the error.
 *
 * `stream` text is not line-aligned: RUN output arrives in whatever chunks the process wrote, and a
 * step header comes without its newline (the newline is a message of its own). The decoder joins the
 * text and emits whole lines. Output written to stderr by RUN is wrapped by the engine in
 * ESC[91m … ESC[0m; the decoder strips the escapes and marks those lines as stderr.
 */
import {StringDecoder} from 'node:string_decoder'

export type BuildEvent =
  /** Bytes of the context sent so far; `done` once the whole context went out. */
  | {type: 'upload'; bytes: number; done: boolean}
  /** "Step 2/5 : RUN make": a new step starts. */
  | {type: 'step'; number: number; total: number; instruction: string}
  /** The step was satisfied from the build cache. */
  | {type: 'cache'}
  /** The step runs in this (intermediate) container. */
  | {type: 'running'; containerId: string}
  /** A line printed by the step (RUN output) or by the builder. */
  | {type: 'output'; text: string; stderr: boolean}
  /** The step's result, " ---> 1a2b3c4d5e6f". */
  | {type: 'layer'; id: string}
  /** The final image id (full sha256 form). */
  | {type: 'built'; id: string}
  /** "Successfully tagged name:tag". */
  | {type: 'tagged'; tag: string}
  /** A builder warning such as unconsumed build args, or a lint finding that did not stop the build. */
  | {type: 'warning'; message: string}
  /** The build failed: the engine's message and, for a failing RUN, its exit status. */
  | {type: 'error'; message: string; exitCode?: number}

export interface BuildStep {
  /** 1-based, as the builder counts them. */
  number: number
  /** The instruction as the builder prints it, e.g. "RUN make". */
  instruction: string
  /** Satisfied from the build cache. */
  cached: boolean
  /** Short id of the layer the step produced. */
  layer?: string
  /** Lines the step printed (only the last ones are kept). */
  output: string[]
}

const KEEP_LINES = 20

// eslint-disable-next-line no-control-regex
const STDERR_WRAPPED = /^\u001B\[91m([\s\S]*?)(?:\u001B\[0m)?$/
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g

/**
 * Turns the raw bytes of the /build response into events and keeps the facts a BuildResult needs.
 * Feed it chunks with `push()`, call `end()` at the end of the response.
 */
export class BuildStreamDecoder {
  readonly steps: BuildStep[] = []
  readonly warnings: string[] = []
  readonly tags: string[] = []
  id: string | undefined
  error: {message: string; exitCode?: number} | undefined
  /** The container of the step running now (cleared when the step produced its layer). */
  runningContainer: string | undefined
  /** The last lines of output of the whole build, for reports. */
  readonly lastLines: string[] = []

  private pendingBytes = ''
  // The answer arrives in socket-sized chunks that may split a UTF-8 character (RUN output in any
  // language): decode across chunk boundaries rather than chunk by chunk.
  private readonly utf8 = new StringDecoder('utf8')
  private pendingText = ''
  private pendingStderr = false

  constructor(private readonly emit: (event: BuildEvent) => void = () => undefined) {}

  push(chunk: Buffer | string): void {
    this.pendingBytes += typeof chunk === 'string' ? chunk : this.utf8.write(chunk)
    let newline = this.pendingBytes.indexOf('\n')
    while (newline !== -1) {
      const line = this.pendingBytes.slice(0, newline).trim()
      this.pendingBytes = this.pendingBytes.slice(newline + 1)
      if (line) this.message(line)
      newline = this.pendingBytes.indexOf('\n')
    }
  }

  end(): void {
    const rest = (this.pendingBytes + this.utf8.end()).trim()
    this.pendingBytes = ''
    if (rest) this.message(rest)
    this.flushText()
  }

  /** The step that was running last (the failing one when the build failed). */
  get currentStep(): BuildStep | undefined {
    return this.steps.at(-1)
  }

  private message(line: string): void {
    let message: {stream?: string; aux?: {ID?: string}; error?: string; errorDetail?: {message?: string; code?: number}; status?: string}
    try {
      message = JSON.parse(line)
    } catch {
      // Not JSON: an old or proxied engine answering in plain text. Keep it as output.
      this.text(`${line}\n`)
      return
    }
    if (message.error || message.errorDetail) {
      this.flushText()
      const text = message.errorDetail?.message || message.error || 'the build failed'
      const exitCode = message.errorDetail?.code ?? /returned a non-zero code: (\d+)/.exec(text)?.[1]
      this.error = {message: text, exitCode: exitCode === undefined ? undefined : Number(exitCode)}
      this.emit({type: 'error', message: text, exitCode: this.error.exitCode})
      return
    }
    if (message.aux?.ID) {
      this.id = message.aux.ID
      this.emit({type: 'built', id: message.aux.ID})
      return
    }
    if (typeof message.stream === 'string') this.text(message.stream)
    else if (typeof message.status === 'string') this.text(`${message.status}\n`)
  }

  private text(text: string): void {
    const match = STDERR_WRAPPED.exec(text)
    const stderr = Boolean(match)
    const clean = (match ? match[1] : text).replace(ANSI, '')
    // A switch between stdout and stderr ends the pending partial line.
    if (this.pendingText && stderr !== this.pendingStderr) this.flushText()
    this.pendingStderr = stderr
    this.pendingText += clean
    let newline = this.pendingText.indexOf('\n')
    while (newline !== -1) {
      const line = this.pendingText.slice(0, newline).replace(/\r$/, '')
      this.pendingText = this.pendingText.slice(newline + 1)
      this.line(line, stderr)
      newline = this.pendingText.indexOf('\n')
    }
  }

  private flushText(): void {
    if (!this.pendingText) return
    const line = this.pendingText
    this.pendingText = ''
    this.line(line, this.pendingStderr)
  }

  private line(line: string, stderr: boolean): void {
    const step = /^Step (\d+)\/(\d+) : (.*)$/.exec(line)
    if (step && !stderr) {
      const [, number, total, instruction] = step
      this.steps.push({number: Number(number), instruction, cached: false, output: []})
      this.emit({type: 'step', number: Number(number), total: Number(total), instruction})
      return
    }
    if (!stderr) {
      if (line === ' ---> Using cache') {
        if (this.currentStep) this.currentStep.cached = true
        this.emit({type: 'cache'})
        return
      }
      const running = /^ ---> Running in ([0-9a-f]+)$/.exec(line)
      if (running) {
        this.runningContainer = running[1]
        this.emit({type: 'running', containerId: running[1]})
        return
      }
      const layer = /^ ---> ([0-9a-f]{12,64})$/.exec(line)
      if (layer) {
        if (this.currentStep) this.currentStep.layer = layer[1]
        this.runningContainer = undefined
        this.emit({type: 'layer', id: layer[1]})
        return
      }
      if (/^Removing intermediate container [0-9a-f]+$/.test(line) || /^Successfully built [0-9a-f]+$/.test(line)) return
      const tagged = /^Successfully tagged (.+)$/.exec(line)
      if (tagged) {
        this.tags.push(tagged[1])
        this.emit({type: 'tagged', tag: tagged[1]})
        return
      }
      const warning = /^\[Warning\] (.*)$/i.exec(line)
      if (warning) {
        this.warnings.push(warning[1])
        this.emit({type: 'warning', message: warning[1]})
        return
      }
      // A step header is followed by its own "\n" message: an empty line that means nothing.
      if (line === '' && this.currentStep && this.currentStep.output.length === 0) return
    }
    const step_ = this.currentStep
    if (step_) keep(step_.output, line)
    keep(this.lastLines, line)
    this.emit({type: 'output', text: line, stderr})
  }
}

function keep(lines: string[], line: string): void {
  lines.push(line)
  if (lines.length > KEEP_LINES) lines.shift()
}

/**
 * Docker's size wording for "Sending build context to Docker daemon  2.048kB": Go's
 * units.HumanSize (decimal units, 4 significant digits), right-aligned in 8 columns as the CLI's
 * progress line prints it.
 */
export function dockerContextSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${String(Number(value.toPrecision(4)))}${units[unit]}`.padStart(8)
}

/** The line the docker CLI prints once the context is sent. */
export function sendingContextLine(bytes: number): string {
  return `Sending build context to Docker daemon ${dockerContextSize(bytes)}`
}
