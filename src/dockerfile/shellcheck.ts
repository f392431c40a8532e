/**
 * ShellCheck on the shell-form RUNs of a Dockerfile, the way hadolint feeds it: each script gets a
 * shebang built from the SHELL in effect and `export NAME=1` for every ARG/ENV seen so far (so
 * build args do not read as unassigned), then the RUN text with its continuations joined. All
 * scripts of a file go to one `shellcheck` process. Without a shellcheck binary on PATH this
 * returns nothing: lint works the same, minus these findings.
 */
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'

import type {Instruction, Property} from './syntax.js'

import {runsOf} from './practice-support.js'
import type {DockerfileModel, Position, RawFinding, Severity} from './rule.js'
import {activeShell, isNonPosixShell, type ShellScript} from './shell.js'
import {positionAt, verbatimText, type MappedText} from './source-text.js'

/** Checks hadolint also leaves out: ash is not supported, sourced files are not in the build context view. */
const EXCLUDED = ['SC2187', 'SC1090', 'SC1091']
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']
const SHELL_NAME = /(^|\/)(sh|bash|ash|dash|ksh|mksh|busybox)$/
const TIMEOUT_MS = 30_000

let cachedBinary: string | null | undefined

/** The shellcheck executable on PATH (or $DK_SHELLCHECK), memoised; null when there is none. */
export function findShellcheck(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env === process.env && cachedBinary !== undefined) return cachedBinary
  let found: string | null = null
  if (env.DK_SHELLCHECK !== undefined) found = env.DK_SHELLCHECK === '' ? null : env.DK_SHELLCHECK
  else {
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir) continue
      const candidate = join(dir, 'shellcheck')
      try {
        accessSync(candidate, constants.X_OK)
        found = candidate
        break
      } catch {
        // not in this directory
      }
    }
  }
  if (env === process.env) cachedBinary = found
  return found
}

export interface ShellcheckScript {
  /** The RUN it came from. */
  run: Instruction
  script: ShellScript
  /** The text given to shellcheck (the script, or the whole RUN with its heredocs) with positions. */
  source: MappedText
  /** The file given to shellcheck: header lines, then the script text. */
  content: string
  /** How many lines precede the script text in `content`. */
  headerLines: number
}

function propertyNames(instruction: Instruction): string[] {
  const i = instruction as unknown as {getProperties?: () => Property[]; getProperty?: () => Property | null}
  if (typeof i.getProperties === 'function') return i.getProperties().map((p) => p.getName())
  const one = typeof i.getProperty === 'function' ? i.getProperty() : null
  return one ? [one.getName()] : []
}

/** The scripts shellcheck should see, with hadolint's preamble. */
export function shellcheckScripts(model: DockerfileModel): ShellcheckScript[] {
  const scripts: ShellcheckScript[] = []
  // Every ARG/ENV name with the line it is declared on, collected once.
  const declarations: {line: number; name: string}[] = PROXY_VARIABLES.map((name) => ({line: -1, name}))
  for (const i of [...model.preamble, ...model.stages.flatMap((s) => s.instructions)]) {
    if (i.getKeyword() !== 'ARG' && i.getKeyword() !== 'ENV') continue
    for (const name of propertyNames(i)) if (/^[A-Za-z_]\w*$/.test(name)) declarations.push({line: i.getRange().start.line, name})
  }
  const declaredBefore = (line: number): string[] => [...new Set(declarations.filter((d) => d.line < line).map((d) => d.name))]
  for (const {stage, run, script} of runsOf(model, {onbuild: true})) {
    if (!script || script.commands.length === 0) continue
    const shell = activeShell(model, stage, run)
    if (isNonPosixShell(shell) || !SHELL_NAME.test(shell[0] ?? '')) continue
    // `RUN python3 <<PY …` is a shell command with a heredoc: shellcheck needs the body and end line too.
    const args = run.getArgumentsRange()
    const source = !script.fromHeredoc && run.getHeredocs().length > 0 && args ? verbatimText(model, {start: args.start, end: run.getRange().end}) : script.source
    let body = source.text
    // A heredoc's own shebang would come after ours; keep its line (numbering) but blank it.
    if (script.fromHeredoc && body.startsWith('#!')) body = body.replace(/^#![^\n]*/, '')
    const shebang = `#!${shell[0] === 'busybox' ? '/bin/sh' : shell[0].startsWith('/') ? shell[0] : `/bin/${shell[0]}`}`
    // Only the names the script mentions: exporting every earlier ARG/ENV into every script made
    // a long Dockerfile quadratic for shellcheck, and unmentioned names change nothing.
    const mentioned = declaredBefore(run.getRange().start.line).filter((n) => body.includes(n))
    const header = [shebang, ...mentioned.map((n) => `export ${n}=1`)]
    scripts.push({run, script, source, content: `${header.join('\n')}\n${body}\n`, headerLines: header.length})
  }
  return scripts
}

interface Json1Comment {
  file: string
  line: number
  endLine: number
  column: number
  endColumn: number
  level: string
  code: number
  message: string
}

const LEVELS: Record<string, Severity> = {error: 'error', warning: 'warning', info: 'info', style: 'style'}

/** Map a shellcheck line/column (1-based, tabs count 1) back into the Dockerfile. */
function mapPosition(entry: ShellcheckScript, line: number, column: number): Position {
  const textLine = line - entry.headerLines - 1
  if (textLine < 0) return entry.run.getRange().start
  const lines = entry.source.text.split('\n')
  let offset = 0
  for (let k = 0; k < textLine && k < lines.length; k++) offset += lines[k].length + 1
  offset += Math.min(Math.max(column - 1, 0), (lines[textLine] ?? '').length)
  return positionAt(entry.source, offset)
}

/**
 * Run shellcheck over all shell-form RUNs of the file; [] without shellcheck. Calls made in the same
 * tick (files linted concurrently) share one shellcheck process: its start-up, not the analysis,
 * is most of the cost for small Dockerfiles.
 */
export async function shellcheckFindings(model: DockerfileModel, file: string, binary: string | null = findShellcheck()): Promise<RawFinding[]> {
  if (!binary) return []
  const scripts = shellcheckScripts(model)
  if (scripts.length === 0) return []
  return new Promise<RawFinding[]>((resolve, reject) => {
    let batch = pending.get(binary)
    if (!batch) {
      const created: Batch = {jobs: []}
      batch = created
      pending.set(binary, created)
      setImmediate(() => {
        pending.delete(binary)
        runBatch(binary, created).catch((error: unknown) => {
          for (const job of created.jobs) job.reject(error)
        })
      })
    }
    batch.jobs.push({file, scripts, resolve, reject})
  })
}

interface Job {
  file: string
  scripts: ShellcheckScript[]
  resolve(findings: RawFinding[]): void
  reject(error: unknown): void
}

interface Batch {
  jobs: Job[]
}

const pending = new Map<string, Batch>()

async function runBatch(binary: string, batch: Batch): Promise<void> {
  const {mkdtemp, writeFile, rm} = await import('node:fs/promises')
  const {tmpdir} = await import('node:os')
  const {execFile} = await import('node:child_process')
  const dir = await mkdtemp(join(tmpdir(), 'dk-shellcheck-'))
  try {
    const entries = new Map<string, {job: Job; script: ShellcheckScript; findings: RawFinding[]}>()
    batch.jobs.forEach((job, j) => job.scripts.forEach((script, k) => entries.set(`f${j}-r${k}.sh`, {job, script, findings: []})))
    await Promise.all([...entries].map(([name, e]) => writeFile(join(dir, name), e.script.content)))
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        binary,
        ['--format=json1', '--severity=style', `--exclude=${EXCLUDED.join(',')}`, ...entries.keys()],
        {cwd: dir, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024},
        (error, out) => {
          // Exit 1 means "found something"; anything else without JSON is a real failure.
          if (error && !out) reject(new Error(`shellcheck failed on ${batch.jobs.map((j) => j.file).join(', ')}: ${error.message}`))
          else resolve(out)
        },
      )
    })
    const {comments} = JSON.parse(stdout) as {comments: Json1Comment[]}
    const byJob = new Map<Job, RawFinding[]>(batch.jobs.map((job) => [job, []]))
    for (const c of comments) {
      const entry = entries.get(c.file)
      if (!entry) continue
      byJob.get(entry.job)!.push({
        range: {start: mapPosition(entry.script, c.line, c.column), end: mapPosition(entry.script, c.endLine, c.endColumn)},
        message: c.message,
        severity: LEVELS[c.level] ?? 'info',
        ruleId: `SC${c.code}`,
      })
    }
    for (const [job, findings] of byJob) job.resolve(findings)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
