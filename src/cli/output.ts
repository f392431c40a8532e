/**
 * Terminal output: colour that respects NO_COLOR / FORCE_COLOR and non-TTY streams, tables,
 * symbols. Everything user-visible that is not --json goes through here.
 */
import type {ChalkInstance} from 'chalk'

export type ColorLevel = 0 | 1 | 2 | 3

/**
 * Decide the colour level for one stream. FORCE_COLOR wins (0 disables, 1–3 set the level, any other
 * value means 1); then a non-empty NO_COLOR disables (no-color.org); then a TTY that is not "dumb" gets
 * colour, with 256/truecolor only when the terminal says so. Pipes and files never get escape codes.
 */
export function colorLevel(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): ColorLevel {
  const force = env.FORCE_COLOR
  if (force !== undefined && force !== '') {
    if (force === 'false' || force === '0') return 0
    if (force === '2') return 2
    if (force === '3') return 3
    return 1
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  if (!stream.isTTY || env.TERM === 'dumb') return 0
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3
  if (/-256(color)?$/i.test(env.TERM ?? '')) return 2
  return 1
}

/**
 * chalk is loaded only when some stream will show colour: importing it (with supports-color and
 * node:tty) costs 15–20 ms of start-up, which every `dk load` or `dk lint` in a script or CI job
 * would pay for nothing. The entry points (the fast path, the oclif init hook) await
 * `prepareColors()` before any command runs.
 */
let chalkModule: typeof import('chalk') | undefined

export async function prepareColors(): Promise<void> {
  if (!chalkModule && (colorLevel(process.stdout) > 0 || colorLevel(process.stderr) > 0)) chalkModule = await import('chalk')
}

/** What a chalk without colour does: every style, however chained, returns the text as it is. */
const plain: ChalkInstance = new Proxy(function paint(...text: unknown[]) {
  return text.join(' ')
} as unknown as ChalkInstance, {
  get: (target, key) => (key === 'level' ? 0 : typeof key === 'symbol' ? Reflect.get(target, key) : plain),
})

function chalkFor(stream: {isTTY?: boolean}): ChalkInstance {
  const level = colorLevel(stream)
  // Without prepareColors (a caller outside the CLI's entry points) text stays plain rather than failing.
  return level === 0 || !chalkModule ? plain : new chalkModule.Chalk({level})
}

let stdoutChalk: ChalkInstance | undefined
let stderrChalk: ChalkInstance | undefined

/** Chalk for text written to stdout. */
export function out(): ChalkInstance {
  stdoutChalk ??= chalkFor(process.stdout)
  return stdoutChalk
}

/** Chalk for text written to stderr (progress, warnings, errors). */
export function err(): ChalkInstance {
  stderrChalk ??= chalkFor(process.stderr)
  return stderrChalk
}

/** Symbols with ASCII fallbacks for terminals that cannot show them (Windows console, TERM=dumb). */
export function symbols(): {ok: string; fail: string; warn: string; info: string; skip: string; arrow: string} {
  const plain = process.platform === 'win32' && !process.env.WT_SESSION
  return plain
    ? {ok: '√', fail: '×', warn: '!', info: 'i', skip: '-', arrow: '->'}
    : {ok: '✓', fail: '✗', warn: '⚠', info: 'ℹ', skip: '–', arrow: '→'}
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g

/** Width of a string on screen, ignoring colour codes. */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length
}

export interface TableOptions {
  /** Column separator; Docker uses three spaces. */
  gap?: number
  /** Columns (by index) aligned to the right, e.g. sizes. */
  alignRight?: number[]
  /** Minimum column width including the gap, like Go's tabwriter minwidth (`docker ps` uses 10). */
  minWidth?: number
}

/** A plain text table like Docker's: an upper-case header row, columns padded to the widest cell. */
export function table(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 3)
  const floor = Math.max(0, (options.minWidth ?? 0) - gap.length)
  const widths = headers.map((h, i) => Math.max(floor, visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i] - visibleWidth(cell)))
        if (options.alignRight?.includes(i)) return pad + cell
        return i === cells.length - 1 ? cell : cell + pad
      })
      .join(gap)
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

/** Human-readable size with Docker's units (decimal: kB, MB, GB), e.g. 1.23MB. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  const text = unit === 0 ? String(value) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
  return `${text.replace(/\.0+$|(\.\d*?)0+$/, '$1')}${units[unit]}`
}

/**
 * "2 hours ago", "About a minute ago": the wording of Docker's CREATED/STATUS columns, exactly as
 * go-units' HumanDuration computes it (seconds and minutes truncated, hours rounded, then days,
 * weeks, months and years by integer division), so that dk's tables match docker's.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.trunc(ms / 60_000)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.trunc(ms / 3_600_000 + 0.5)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`
}

/** Docker's "CREATED" column: "5 minutes ago". */
export function ago(date: Date | number, now = Date.now()): string {
  const t = typeof date === 'number' ? date : date.getTime()
  return `${humanDuration(now - t)} ago`
}
