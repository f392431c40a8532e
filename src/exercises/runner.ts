/**
 * Verify one exercise: preflight (engine, base images, what earlier exercises provide), then the
 * exercise's checks in order, each bounded in time; a check whose `dependsOn` did not pass is
 * skipped. Whatever happens, the run's cleanups and every object labelled with its run id are
 * removed before the report is returned. Also: solve and named actions, with the same context.
 */
import {access} from 'node:fs/promises'
import {join} from 'node:path'

import {DkError, EngineUnreachableError, NotFoundError} from '../cli/errors.js'
import {connectEngine} from '../engine/connect.js'
import {createExerciseContext, type ExerciseRun} from './kit.js'
import type {Check, CheckOutcome, CheckResult, ExerciseDefinition, ExerciseMeta, VerifyReport} from './model.js'
import {exerciseDir, overlay} from './scaffold.js'

export interface RunnerOptions {
  meta: ExerciseMeta
  def: ExerciseDefinition
  workshopDir: string
  token: string
  host?: string
  /** Only these checks (by id); others are not run (watch's fast mode). */
  only?: string[]
  /** Per-check time budget (builds included). */
  checkTimeoutMs?: number
  /** Called as each check finishes, for live output. */
  onCheck?: (result: CheckResult) => void
}

function startRun(options: Pick<RunnerOptions, 'meta' | 'workshopDir' | 'token' | 'host'>): ExerciseRun {
  const {meta} = options
  return createExerciseContext({
    exercise: {id: meta.id, slug: meta.slug, title: meta.title},
    dir: exerciseDir(options.workshopDir, meta),
    workshopDir: options.workshopDir,
    token: options.token,
    host: options.host,
  })
}

export async function assertScaffolded(meta: ExerciseMeta, workshopDir: string): Promise<void> {
  try {
    await access(exerciseDir(workshopDir, meta))
  } catch {
    throw new NotFoundError(`Exercise ${meta.id} is not in ${workshopDir} yet (no ${meta.folder}/ folder).`, {
      hint: `Run \`dk exercise ${meta.id}\` there first, or pass --dir with your workshop folder.`,
    })
  }
}

/** Problems with the machine, before any check: an env reason, or undefined. */
export async function preflight(meta: ExerciseMeta, requiredBy: ExerciseMeta[], host?: string): Promise<string[]> {
  const engine = await connectEngine({host})
  const problems: string[] = []
  const exists = async (ref: string) =>
    engine.docker
      .getImage(ref)
      .inspect()
      .then(() => true)
      .catch((error: {statusCode?: number}) => {
        if (error.statusCode === 404) return false
        throw error
      })
  for (const image of meta.images) {
    if (!(await exists(image))) problems.push(`The base image ${image} is missing on this engine. Run \`dk setup${image.startsWith('debian') ? ' --debian' : ''}\` (no registry needed).`)
  }
  for (const earlier of requiredBy) {
    for (const image of earlier.provides.images) {
      if (!(await exists(image))) problems.push(`${image} is missing: it comes from exercise ${earlier.id} (${earlier.title}). Finish it, or catch up with \`dk exercise solve ${earlier.id}\`.`)
    }
    for (const name of earlier.provides.containers) {
      const found = await engine.docker
        .getContainer(name)
        .inspect()
        .then((c) => c.Name === `/${name}`)
        .catch(() => false)
      if (!found) problems.push(`The container ${name} is missing: it comes from exercise ${earlier.id} (${earlier.title}). Finish it, or catch up with \`dk exercise solve ${earlier.id}\`.`)
    }
  }
  return problems
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DkError(`${what} took longer than ${Math.round(ms / 1000)} s.`, {code: 'CHECK_TIMEOUT'})), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** What a thrown error means for a check: the engine going away ends the run (exit 3). */
function outcomeOfError(error: unknown): CheckOutcome {
  if (error instanceof EngineUnreachableError) throw error
  if (error instanceof DkError) {
    if (error.code === 'CHECK_TIMEOUT') return {status: 'env', reason: `${error.message} The engine may be overloaded; try again.`}
    // A host port another program holds is the machine's problem, not the attendee's work.
    if (error.code === 'PORT_IN_USE') return {status: 'env', reason: error.hint ? `${error.message} ${error.hint}` : error.message}
    return {status: 'fail', reason: error.hint ? `${error.message} (${error.hint})` : error.message}
  }
  return {status: 'env', reason: `dk could not run this check: ${(error as Error)?.message ?? String(error)}`}
}

export async function verifyExercise(options: RunnerOptions & {requiredBy: ExerciseMeta[]}): Promise<VerifyReport> {
  const {meta, def} = options
  const started = Date.now()
  await assertScaffolded(meta, options.workshopDir)
  const checks = options.only ? def.checks.filter((c) => options.only!.includes(c.id)) : def.checks
  const needsEngine = checks.some((c) => !(def.fast ?? []).includes(c.id))
  const run = startRun(options)
  const results: CheckResult[] = []
  const record = (result: CheckResult) => {
    results.push(result)
    options.onCheck?.(result)
  }
  try {
    if (needsEngine) {
      const problems = await preflight(meta, options.requiredBy, options.host)
      if (problems.length > 0) {
        record({id: 'environment', title: 'The machine is ready for this exercise', status: 'env', reason: problems.join(' '), ms: Date.now() - started})
        for (const check of checks) record({id: check.id, title: check.title, status: 'skipped', reason: 'not run: the environment is not ready', hint: check.hint, ms: 0})
        return report()
      }
    }
    for (const check of checks) record(await runCheck(check))
  } finally {
    const problems = await run.cleanup()
    if (problems.length) process.stderr.write(`dk could not remove everything it made during this check: ${problems.join('; ')}\n`)
  }
  return report()

  async function runCheck(check: Check): Promise<CheckResult> {
    const blocked = (check.dependsOn ?? []).filter((dep) => {
      const earlier = results.find((r) => r.id === dep)
      return !earlier || earlier.status !== 'pass'
    })
    if (blocked.length > 0) {
      return {id: check.id, title: check.title, status: 'skipped', reason: `needs ${blocked.join(', ')} to pass first`, hint: check.hint, ms: 0}
    }
    const t0 = Date.now()
    let outcome: CheckOutcome
    try {
      outcome = await withTimeout(check.run(run.ctx), options.checkTimeoutMs ?? 180_000, `The check "${check.title}"`)
    } catch (error) {
      outcome = outcomeOfError(error)
    }
    const result: CheckResult = {id: check.id, title: check.title, status: outcome.status, hint: check.hint, ms: Date.now() - t0}
    if (outcome.status === 'pass') {
      if (outcome.evidence) result.evidence = outcome.evidence
    } else result.reason = outcome.reason
    return result
  }

  function report(): VerifyReport {
    return {
      exercise: {id: meta.id, slug: meta.slug, title: meta.title},
      passed: results.length > 0 && results.every((r) => r.status === 'pass'),
      environmentProblem: results.some((r) => r.status === 'env'),
      runId: run.ctx.runId,
      checks: results,
      ms: Date.now() - started,
    }
  }
}

/** Apply the reference solution's files, then its solve actions (build/tag/run as the task asks). */
export async function solveExercise(options: Pick<RunnerOptions, 'meta' | 'def' | 'workshopDir' | 'token' | 'host'>): Promise<{files: string[]}> {
  const {meta, def} = options
  await assertScaffolded(meta, options.workshopDir)
  const files = await overlay(join(meta.root, 'solution'), exerciseDir(options.workshopDir, meta), options.token)
  if (def.solve) await runAction(options, def.solve)
  return {files}
}

/** Run one function with a fresh context (solve, or a named action of a test attempt). */
export async function runAction(options: Pick<RunnerOptions, 'meta' | 'workshopDir' | 'token' | 'host'>, action: (ctx: ExerciseRun['ctx']) => Promise<void>): Promise<void> {
  const run = startRun(options)
  try {
    await action(run.ctx)
  } finally {
    await run.cleanup()
  }
}
