/**
 * `dk dev check`: the exercises' self-test against a real engine (rustlings' `dev check`, Instruqt's
 * `track test`, ziglings' healed patches in one). For every exercise, in a fresh temp workshop:
 *
 *   1. scaffold → verify must fail (the task is not already done);
 *   2. each test/wrong-NAME (files laid over the scaffold, then its named action) → verify must
 *      fail in the check that expect.yaml names, with its reason;
 *   3. solve → verify must pass; 4. verify again → still passes (nothing left over in between);
 *   5. reset → the scaffold is back, and nothing dk made for the exercise is left (by label).
 *
 * Earlier exercises an exercise requires are solved in the same temp workshop when what they
 * provide is missing, and removed at the end.
 */
import {readdir, readFile, rm, mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {DkError} from '../cli/errors.js'
import {connectEngine} from '../engine/connect.js'
import {Label} from '../engine/labels.js'
import {allExercises, findExercise, loadDefinition, loadYaml, parseYaml} from './catalog.js'
import {countLabelled} from './kit.js'
import type {ExerciseMeta, VerifyReport} from './model.js'
import {preflight, runAction} from './runner.js'
import {exerciseDir, listFiles, overlay} from './scaffold.js'
import {openExercise, resetWorkshop, solveWorkshopExercise, verifyWorkshopExercise} from './service.js'
import {loadOrCreateState} from './state.js'

export interface DevCheckStep {
  step: string
  ok: boolean
  detail?: string
  ms: number
}

export interface DevCheckExercise {
  id: number
  slug: string
  ok: boolean
  steps: DevCheckStep[]
  ms: number
}

export interface DevCheckReport {
  exercises: DevCheckExercise[]
  passed: number
  failed: number
  ms: number
}

export interface DevCheckOptions {
  host?: string
  /** Keep the temp workshop folders (for debugging). */
  keep?: boolean
  onStep?: (exercise: ExerciseMeta, step: DevCheckStep) => void
  onExercise?: (result: DevCheckExercise) => void
}

export interface Expectation {
  check: string
  reason: string
  action?: string
}

export function parseExpectation(raw: unknown, file: string): Expectation {
  const o = raw as Record<string, unknown> | null
  if (!o || typeof o.check !== 'string' || typeof o.reason !== 'string' || (o.action !== undefined && typeof o.action !== 'string')) {
    throw new DkError(`${file}: expected {check: <check id>, reason: <part of the failure reason>, action?: <name>}.`, {code: 'BAD_EXERCISE'})
  }
  return {check: o.check, reason: o.reason, action: o.action as string | undefined}
}

/** Why a verify report does not show the expected failure, or undefined when it does. */
export function expectationMismatch(report: VerifyReport, expected: Expectation): string | undefined {
  const check = report.checks.find((c) => c.id === expected.check)
  if (!check) return `no check "${expected.check}" in the report (checks: ${report.checks.map((c) => c.id).join(', ')})`
  if (check.status !== 'fail') return `check ${expected.check} is ${check.status}${check.reason ? ` (${check.reason})` : ''}, expected fail`
  if (!check.reason?.toLowerCase().includes(expected.reason.toLowerCase())) return `check ${expected.check} failed with "${check.reason}", which does not contain "${expected.reason}"`
  return undefined
}

const summary = (report: VerifyReport) =>
  report.checks
    .filter((c) => c.status !== 'pass' && c.status !== 'skipped')
    .map((c) => `${c.id}: ${c.status} ${c.reason ?? ''}`.trim())
    .join('; ') || 'all checks passed'

/** Every exercise an exercise needs, deepest first. */
async function prerequisites(meta: ExerciseMeta): Promise<ExerciseMeta[]> {
  const seen = new Map<number, ExerciseMeta>()
  const visit = async (m: ExerciseMeta) => {
    for (const id of m.requires) {
      if (seen.has(id)) continue
      const required = await findExercise(id)
      await visit(required)
      seen.set(id, required)
    }
  }
  await visit(meta)
  return [...seen.values()]
}

export async function devCheck(which: string[], options: DevCheckOptions = {}): Promise<DevCheckReport> {
  await loadYaml()
  const started = Date.now()
  const metas = which.length ? await Promise.all(which.map((w) => findExercise(w))) : await allExercises()
  await connectEngine({host: options.host})
  const results: DevCheckExercise[] = []
  for (const meta of metas) {
    const result = await checkOne(meta, options)
    results.push(result)
    options.onExercise?.(result)
  }
  const passed = results.filter((r) => r.ok).length
  return {exercises: results, passed, failed: results.length - passed, ms: Date.now() - started}
}

async function checkOne(meta: ExerciseMeta, options: DevCheckOptions): Promise<DevCheckExercise> {
  const started = Date.now()
  const steps: DevCheckStep[] = []
  const ws = await mkdtemp(join(tmpdir(), `dk-check-${meta.folder}-`))
  const touched = new Set<number>([meta.id])
  const restore: SetAside[] = []
  const step = async (name: string, body: () => Promise<string | undefined>): Promise<boolean> => {
    const t0 = Date.now()
    let ok = true
    let detail: string | undefined
    try {
      detail = await body()
      if (detail?.startsWith('FAIL: ')) {
        ok = false
        detail = detail.slice(6)
      }
    } catch (error) {
      ok = false
      detail = `${(error as Error).message}${(error as DkError).hint ? ` (${(error as DkError).hint})` : ''}`
    }
    const result = {step: name, ok, detail, ms: Date.now() - t0}
    steps.push(result)
    options.onStep?.(meta, result)
    return ok
  }
  const verify = (record = false) => verifyWorkshopExercise(String(meta.id), ws, {host: options.host, record})

  try {
    const state = await loadOrCreateState(ws)
    const def = await loadDefinition(meta)
    const required = await prerequisites(meta)

    await step('prerequisites', async () => {
      if ((await preflight(meta, required, options.host)).length === 0) return required.length ? 'already on this engine' : 'none'
      for (const r of required) {
        if ((await preflight(r, [], options.host)).length > 0) continue
        await solveWorkshopExercise(String(r.id), ws, options.host)
        touched.add(r.id)
      }
      const problems = await preflight(meta, required, options.host)
      return problems.length ? `FAIL: ${problems.join(' ')}` : `solved ${required.map((r) => r.id).join(', ')}`
    })

    await step('clean start', async () => {
      const moved = await setAside(meta, options.host)
      restore.push(...moved)
      return moved.length ? `set aside ${moved.map((m) => m.name).join(', ')} (restored at the end)` : 'nothing named by the task exists yet'
    })

    await step('scaffold → verify fails', async () => {
      await openExercise(String(meta.id), ws)
      const report = await verify()
      if (report.passed) return 'FAIL: verify passed on the untouched scaffold'
      if (report.environmentProblem) return `FAIL: environment problem: ${summary(report)}`
      return summary(report)
    })

    const testRoot = join(meta.root, 'test')
    const attempts = (await readdir(testRoot).catch(() => [] as string[])).filter((n) => n.startsWith('wrong-')).sort()
    if (attempts.length < 2) steps.push({step: 'wrong attempts', ok: false, detail: `only ${attempts.length} test/wrong-* attempt(s); at least two are required`, ms: 0})
    for (const attempt of attempts) {
      await step(`${attempt} → verify fails as expected`, async () => {
        const file = join(testRoot, attempt, 'expect.yaml')
        const expected = parseExpectation(parseYaml(await readFile(file, 'utf8'), `exercises/${meta.folder}/test/${attempt}/expect.yaml`), file)
        await resetWorkshop(String(meta.id), false, ws, options.host)
        await overlay(join(testRoot, attempt), exerciseDir(ws, meta), state.token)
        if (expected.action) {
          const action = def.actions?.[expected.action]
          if (!action) return `FAIL: expect.yaml names the action "${expected.action}", which checks.ts does not define`
          await runAction({meta, workshopDir: ws, token: state.token, host: options.host}, action)
        }
        const report = await verify()
        const mismatch = expectationMismatch(report, expected)
        return mismatch ? `FAIL: ${mismatch}` : `${expected.check}: ${report.checks.find((c) => c.id === expected.check)?.reason}`
      })
    }

    const solved = await step('solve → verify passes', async () => {
      await resetWorkshop(String(meta.id), false, ws, options.host)
      await solveWorkshopExercise(String(meta.id), ws, options.host)
      const report = await verify(true)
      return report.passed ? `${report.checks.length} checks in ${(report.ms / 1000).toFixed(1)} s` : `FAIL: ${summary(report)}`
    })
    if (solved) {
      await step('verify again → still passes', async () => {
        const report = await verify()
        return report.passed ? `${(report.ms / 1000).toFixed(1)} s` : `FAIL: ${summary(report)}`
      })
    }

    await step('reset → scaffold back, nothing left', async () => {
      const result = await resetWorkshop(String(meta.id), false, ws, options.host)
      const problems = result.exercises.flatMap((e) => e.problems)
      if (problems.length) return `FAIL: reset could not remove ${problems.join('; ')}`
      const files = await listFiles(exerciseDir(ws, meta))
      const expected = await expectedScaffold(meta)
      const missing = expected.filter((f) => !files.includes(f))
      const extra = files.filter((f) => !expected.includes(f) && !result.exercises[0].files.includes(f))
      if (missing.length || extra.length) return `FAIL: after reset, missing ${missing.join(', ') || '-'}; unexpected ${extra.join(', ') || '-'}`
      for (const rel of await listFiles(join(meta.root, 'scaffold'))) {
        const [a, b] = await Promise.all([readFile(join(meta.root, 'scaffold', rel)), readFile(join(exerciseDir(ws, meta), rel))])
        if (!a.equals(b)) return `FAIL: after reset, ${rel} differs from the scaffold`
      }
      const left = await countLabelled(await connectEngine({host: options.host}), {[Label.workshop]: resolve(ws), [Label.exercise]: String(meta.id)})
      const total = left.containers + left.images + left.volumes + left.networks
      if (total > 0) return `FAIL: dk objects left after reset: ${JSON.stringify(left)}`
      return `${files.length} files, 0 objects left`
    })
  } catch (error) {
    steps.push({step: 'setup', ok: false, detail: (error as Error).message, ms: 0})
  } finally {
    // Remove what this temp workshop made (prerequisites included), then the folder.
    for (const id of [...touched].sort((a, b) => b - a)) {
      await resetWorkshop(String(id), false, ws, options.host).catch(() => undefined)
    }
    if (!options.keep) await rm(ws, {recursive: true, force: true})
    await putBack(restore, options.host)
  }
  return {id: meta.id, slug: meta.slug, ok: steps.every((s) => s.ok), steps, ms: Date.now() - started}
}

interface SetAside {
  kind: 'image' | 'container'
  /** The name the task uses (workshop/base:1, dk-hello). */
  name: string
  /** Where it was put meanwhile. */
  aside: string
}

/**
 * Objects the exercise's task names (its `provides`) that already exist (an attendee's, another
 * run's) would make the scaffold pass; they are renamed out of the way and put back at the end.
 * An image is re-tagged, a container renamed: nothing is deleted.
 */
async function setAside(meta: ExerciseMeta, host?: string): Promise<SetAside[]> {
  const engine = await connectEngine({host})
  const moved: SetAside[] = []
  const suffix = Math.random().toString(16).slice(2, 10)
  for (const name of meta.provides.images) {
    const exists = await engine.docker.getImage(name).inspect().then(() => true, () => false)
    if (!exists) continue
    const aside = `dk-check-aside/${name.replace(/[/:]/g, '-')}:${suffix}`
    const [repo, tag] = aside.split(':')
    await engine.docker.getImage(name).tag({repo, tag})
    await engine.docker.getImage(name).remove({noprune: true})
    moved.push({kind: 'image', name, aside})
  }
  for (const name of meta.provides.containers) {
    const info = await engine.docker.getContainer(name).inspect().catch(() => undefined)
    if (!info || info.Name !== `/${name}`) continue
    const aside = `dk-check-aside-${name}-${suffix}`
    await engine.docker.getContainer(name).rename({name: aside})
    moved.push({kind: 'container', name, aside})
  }
  return moved
}

async function putBack(moved: SetAside[], host?: string): Promise<void> {
  if (moved.length === 0) return
  const engine = await connectEngine({host})
  for (const m of moved) {
    if (m.kind === 'image') {
      const [repo, tag] = m.name.includes(':') ? [m.name.slice(0, m.name.lastIndexOf(':')), m.name.slice(m.name.lastIndexOf(':') + 1)] : [m.name, 'latest']
      await engine.docker.getImage(m.aside).tag({repo, tag}).catch(() => undefined)
      await engine.docker.getImage(m.aside).remove({noprune: true}).catch(() => undefined)
    } else {
      await engine.docker.getContainer(m.aside).rename({name: m.name}).catch(() => undefined)
    }
  }
}

/** The files a fresh scaffold holds: README.md and scaffold/ (hook-made files are checked by the caller). */
async function expectedScaffold(meta: ExerciseMeta): Promise<string[]> {
  return ['README.md', ...(await listFiles(join(meta.root, 'scaffold')))]
}
