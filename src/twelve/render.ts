/**
 * The report card for people: one line per factor with its verdict, then the evidence and the fix
 * of every check that is not a plain pass (and of passes too with `verbose`). Colour via
 * src/cli/output.ts only.
 */
import {out, symbols} from '../cli/output.js'
import type {Status, TwelveFactorReport} from './report.js'

export function renderReport(report: TwelveFactorReport, options: {verbose?: boolean} = {}): string {
  const c = out()
  const s = symbols()
  const mark: Record<Status, string> = {pass: c.green(s.ok), warn: c.yellow(s.warn), fail: c.red(s.fail), 'not-checked': c.dim(s.skip)}
  const word: Record<Status, string> = {pass: c.green('pass'), warn: c.yellow('warn'), fail: c.red('fail'), 'not-checked': c.dim('not checked')}
  const lines: string[] = []
  const subject = [report.dir, report.image && `image ${report.image.startsWith('sha256:') ? report.image.slice(7, 19) : report.image}`].filter(Boolean).join(', ')
  lines.push(c.bold(`Twelve-factor report card: ${subject}`), '')
  for (const factor of report.factors) {
    lines.push(`${mark[factor.status]} ${c.bold(`${factor.id.padEnd(4)} ${factor.name}`.padEnd(26))} ${word[factor.status]}`)
    for (const check of factor.checks) {
      if (check.status === 'pass' && !options.verbose) continue
      const tag = check.kind === 'dynamic' ? c.dim(' [run]') : check.bestEffort ? c.dim(' [best effort]') : ''
      lines.push(`     ${mark[check.status]} ${check.summary}${tag}`)
      for (const e of check.evidence.slice(0, options.verbose ? 20 : 6)) lines.push(`         ${c.dim(e)}`)
      if (check.fix && check.status !== 'pass') lines.push(`         ${c.cyan('fix:')} ${check.fix}`)
    }
  }
  lines.push('')
  if (report.runtime) {
    const r = report.runtime
    const facts = [r.startupMs !== undefined && `start-up ${r.startupMs} ms`, r.stopMs !== undefined && `stop ${r.stopMs} ms (exit ${r.exitCode})`, `PORT=${r.port}`, r.protocol].filter(Boolean)
    lines.push(c.dim(`Run: ${facts.join(', ')}`))
  } else if (report.factors.some((f) => f.checks.some((k) => k.id === 'build' && k.status !== 'pass'))) {
    lines.push(c.dim('The app was not started: there is no image to run (see V).'))
  } else {
    lines.push(c.dim('Static checks only: add --run to build and start the app (port, config, logs, state, shutdown).'))
  }
  const n = report.counts
  const summary = `${n.pass} pass, ${n.warn} warn, ${n.fail} fail, ${n['not-checked']} not checked`
  lines.push(report.ok ? c.green(`${s.ok} ${summary}`) : c.red(`${s.fail} ${summary}`))
  return lines.join('\n')
}
