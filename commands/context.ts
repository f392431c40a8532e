import {Args, Flags} from '@oclif/core'

import {DkCommand} from '../src/cli/base-command.js'
import {UsageError} from '../src/cli/errors.js'
import {humanSize, out, symbols, table} from '../src/cli/output.js'
import {Progress} from '../src/cli/progress.js'
import {planContext} from '../src/context/plan.js'
import {byUtf8, type ContextReport, contextEntries, contextReport, escapeName, type ListedEntry, listedEntry} from '../src/context/report.js'
import {streamContextTar, writeContextTar} from '../src/context/tar-file.js'
import {explainPath, type WhyResult} from '../src/context/why.js'

type ContextData = ContextReport | {context: string; dockerfileQueryPath: string; entries: ListedEntry[]} | WhyResult | {file: string; bytes: number}

const TYPE_LETTER: Record<ListedEntry['type'], string> = {file: '-', dir: 'd', symlink: 'l', hardlink: 'h', fifo: 'p', char: 'c', block: 'b'}

export default class Context extends DkCommand {
  static summary = 'Show what `docker build` would send as the build context, and why'
  static description = `Packs the context exactly as the docker CLI does (legacy builder): the same .dockerignore rules, the same walk, the same tar bytes. Without flags it prints a report: what is sent, how big, what .dockerignore left out, the largest files and directories, and warnings for things that rarely belong in an image (.git, node_modules, .env, private keys, files over 50 MB) with the .dockerignore line that fixes each.

-f is resolved against the current directory (not the context), like docker build -f. --why paths are relative to the context.

Exit codes: 0 ok; 1 Docker would refuse this context (bad .dockerignore pattern, unreadable file); 2 usage; 4 directory or Dockerfile not found.`

  static examples = [
    {description: 'Report on the current directory', command: '<%= config.bin %> context'},
    {description: 'Every entry of the tar, one per line (UTF-8 byte order)', command: '<%= config.bin %> context app --list'},
    {description: 'With type, mode, size and link targets', command: '<%= config.bin %> context app --long'},
    {description: 'Which .dockerignore line decided a path', command: '<%= config.bin %> context app --why node_modules/left-pad/index.js'},
    {description: 'A Dockerfile elsewhere (resolved against the current directory)', command: '<%= config.bin %> context app -f docker/app.Dockerfile'},
    {description: 'Write the exact upload to a file', command: '<%= config.bin %> context app --tar context.tar'},
    {description: 'Pipe it to tar', command: '<%= config.bin %> context app --tar - | tar tvf -'},
    {description: 'Machine-readable report', command: '<%= config.bin %> context app --json'},
  ]

  static args = {
    dir: Args.string({ignoreStdin: true, description: 'The build context directory', default: '.'}),
  }

  static flags = {
    file: Flags.string({char: 'f', description: 'Dockerfile (relative to the current directory, like docker build -f); - reads it from stdin', helpValue: 'DOCKERFILE'}),
    list: Flags.boolean({description: 'List the entries of the tar, one path per line'}),
    long: Flags.boolean({description: 'Like --list, with type, mode, size and link target'}),
    why: Flags.string({description: 'Explain whether PATH is sent and which .dockerignore line decided it', helpValue: 'PATH'}),
    tar: Flags.string({description: 'Write the exact tar to FILE (atomically), or to stdout with -', helpValue: 'FILE|-'}),
  }

  async run(): Promise<ContextData> {
    const {args, flags} = await this.parse(Context)
    const modes = [flags.list || flags.long ? '--list/--long' : '', flags.why === undefined ? '' : '--why', flags.tar === undefined ? '' : '--tar'].filter(Boolean)
    if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} cannot be combined.`, {hint: 'Run dk context once per question: the report, --list/--long, --why PATH, or --tar FILE.'})
    if (flags.tar === '-' && this.jsonEnabled()) throw new UsageError('--tar - writes the archive to stdout, which --json needs for its report.', {hint: 'Use --tar FILE with --json.'})
    if (flags.tar === '-' && process.stdout.isTTY) throw new UsageError('Refusing to write a tar archive to a terminal.', {hint: 'Redirect or pipe it: `dk context --tar - > context.tar` or `| tar tvf -`.'})
    const dockerfileContent = flags.file === '-' ? await readStdin() : undefined
    const plan = await planContext(args.dir, {dockerfile: flags.file, dockerfileContent})

    if (flags.why !== undefined) {
      const why = explainPath(plan, flags.why)
      this.renderWhy(why)
      return why
    }
    if (flags.list || flags.long) {
      const entries = [...contextEntries(plan, {onWarning: (w) => this.note(`Docker would skip ${w.path}: ${w.message}`)})].map(listedEntry).sort(byUtf8)
      this.renderList(entries, flags.long)
      return {context: plan.dir, dockerfileQueryPath: plan.dockerfileQueryPath, entries}
    }
    if (flags.tar !== undefined) return this.writeTar(plan, flags.tar)

    const report = contextReport(plan)
    for (const skipped of report.skipped) this.note(`Docker would skip ${skipped.path}: ${skipped.message}`)
    this.renderReport(report)
    return report
  }

  private async writeTar(plan: Awaited<ReturnType<typeof planContext>>, target: string): Promise<{file: string; bytes: number}> {
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    if (plan.injectedName) this.note(`The Dockerfile is outside the context: like Docker's upload, the archive ends without end-of-archive blocks (the daemon accepts it; GNU tar warns).`)
    const progress = new Progress({label: 'Packing context', summary: false, live: target !== '-' && !this.jsonEnabled() ? undefined : false})
    try {
      const bytes =
        target === '-'
          ? await streamContextTar(plan, process.stdout, {signal: controller.signal})
          : await writeContextTar(plan, target, {signal: controller.signal, onBytes: (n) => progress.add(n)})
      progress.done()
      if (target !== '-' && !this.jsonEnabled()) this.say(`${out().green(symbols().ok)} Wrote ${target} (${humanSize(bytes)}, the exact upload of docker build)`)
      return {file: target, bytes}
    } catch (error) {
      progress.abort()
      throw error
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
  }

  private renderWhy(why: WhyResult): void {
    const c = out()
    const mark = why.verdict === 'sent' ? c.green(`${symbols().ok} sent`) : c.red(`${symbols().fail} not sent`)
    this.say(`${mark}  ${escapeName(why.path)}${why.exists ? '' : c.dim('  (no such path in the context)')}`)
    this.say(`  ${why.message}`)
    const ref = why.decidedBy ?? why.prunedAt?.decidedBy
    if (ref) this.say(`  ${c.dim('decided by:')} ${ref.location}  ${c.bold(ref.text.trim())}`)
  }

  private renderList(entries: ListedEntry[], long: boolean): void {
    if (!long) {
      for (const e of entries) this.say(escapeName(e.path))
      return
    }
    const width = Math.max(1, ...entries.map((e) => String(e.size).length))
    for (const e of entries) {
      const link = e.type === 'symlink' ? ` -> ${escapeName(e.linkTarget ?? '')}` : e.type === 'hardlink' ? ` link to ${escapeName(e.linkTarget ?? '')}` : ''
      this.say(`${TYPE_LETTER[e.type]} ${e.mode} ${String(e.size).padStart(width)} ${escapeName(e.path)}${link}`)
    }
  }

  private renderReport(r: ContextReport): void {
    const c = out()
    const s = symbols()
    const n = (x: number) => x.toLocaleString('en-US')
    this.say(`${c.bold('Context')}      ${r.context}`)
    const df = r.dockerfile.injected
      ? `${r.dockerfile.path ?? 'stdin'} (outside the context: sent as ${r.dockerfile.queryPath})`
      : `${r.dockerfile.queryPath}${r.dockerfile.alwaysSent ? c.dim(' (matched by .dockerignore, sent anyway)') : ''}`
    this.say(`${c.bold('Dockerfile')}   ${df}`)
    this.say(`${c.bold('.dockerignore')} ${r.dockerignore.exists ? `${r.dockerignore.patterns} pattern${r.dockerignore.patterns === 1 ? '' : 's'}` : c.yellow('none: everything is sent')}`)
    this.say()
    this.say(
      `${c.bold('Sent')}      ${n(r.files)} files, ${n(r.dirs)} directories${r.symlinks ? `, ${n(r.symlinks)} symlink${r.symlinks === 1 ? "" : "s"}` : ''}${r.other ? `, ${n(r.other)} other` : ''}: ${c.bold(humanSize(r.totalBytes))} (upload ${humanSize(r.tarBytes)})`,
    )
    const pruned = r.excludedDirs.slice(0, 3).map((d) => `${escapeName(d.path)}/ ${n(d.entries)}`)
    this.say(`${c.bold('Excluded')}  ${n(r.excluded)} entries${pruned.length ? c.dim(` (not even entered: ${pruned.join(', ')})`) : ''}`)
    if (r.largestFiles.length > 0) {
      this.say()
      this.say(c.bold('Largest files'))
      this.say(indent(table(['SIZE', 'PATH'], r.largestFiles.map((f) => [humanSize(f.size), escapeName(f.path)]), {alignRight: [0]})))
    }
    if (r.largestDirs.length > 0) {
      this.say()
      this.say(c.bold('Largest directories'))
      this.say(indent(table(['SIZE', 'PATH'], r.largestDirs.map((d) => [humanSize(d.size), `${escapeName(d.path)}/`]), {alignRight: [0]})))
    }
    this.say()
    if (r.warnings.length === 0) {
      this.say(`${c.green(s.ok)} Nothing that usually stays out of an image is sent.`)
      return
    }
    this.say(c.bold(`Warnings (${r.warnings.length})`))
    for (const w of r.warnings) {
      this.say(`${c.yellow(s.warn)} ${escapeName(w.message)}`)
      this.say(`    ${c.dim('fix: add to .dockerignore:')} ${w.fix}`)
    }
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) throw new UsageError('-f - reads the Dockerfile from stdin, but stdin is a terminal.', {hint: 'Pipe it in: `dk context . -f - < Dockerfile`.'})
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
