/**
 * Text renderings shared by the exercise commands (list, menu, verify, watch). Colour only through
 * src/cli/output.ts, so NO_COLOR and pipes get plain text.
 */
import {out, symbols, table} from '../cli/output.js'
import type {CheckResult} from './model.js'
import type {ListResult} from './service.js'

export function renderList(result: ListResult): string {
  const c = out()
  const rows = result.exercises.map((e) => {
    const status = e.status === 'done' ? c.green('done') : e.status === 'skipped' ? c.yellow('skipped') : 'todo'
    const mark = e.next ? c.cyan('→') : e.current ? '*' : ' '
    return [`${mark} ${String(e.id).padStart(2)}`, e.next ? c.bold(e.title) : e.title, `${e.minutes} min`, status]
  })
  const summary = result.next === undefined ? c.green('All exercises done.') : `Next: dk exercise ${result.next}   (${result.remainingMinutes} min of work left)`
  return `${table(['   #', 'EXERCISE', 'TIME', 'STATUS'], rows, {alignRight: [2]})}\n\n${summary}`
}

export function checkLine(result: CheckResult, exercise: number): string {
  const c = out()
  const s = symbols()
  const time = result.ms >= 1000 ? c.dim(` (${(result.ms / 1000).toFixed(1)} s)`) : ''
  switch (result.status) {
    case 'pass':
      return `${c.green(s.ok)} ${result.title}${time}`
    case 'fail':
      return `${c.red(s.fail)} ${result.title}${time}\n    ${result.reason}${result.hint ? c.dim(`\n    hint: dk exercise hint ${exercise} --level ${result.hint}`) : ''}`
    case 'env':
      return `${c.yellow(s.warn)} ${result.title}: environment problem, not your work\n    ${result.reason}`
    default:
      return c.dim(`${s.skip} ${result.title} (skipped: ${result.reason})`)
  }
}
