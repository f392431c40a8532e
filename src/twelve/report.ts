/**
 * The twelve-factor report card: twelve factors, each made of checks with a status, the evidence
 * that led to it and the fix. Static checks (files, Dockerfile) and dynamic checks (`--run`: a real
 * container) both produce `Check`s; `buildReport` folds them into factors. The factor's status is
 * the worst of its checks, so one failing check fails the factor and the run (exit 1).
 */

export type FactorId = 'I' | 'II' | 'III' | 'IV' | 'V' | 'VI' | 'VII' | 'VIII' | 'IX' | 'X' | 'XI' | 'XII'

/** `not-checked`: dk could not or did not look (no --run, not applicable, nothing to inspect). */
export type Status = 'pass' | 'warn' | 'fail' | 'not-checked'

export const FACTORS: ReadonlyArray<{id: FactorId; name: string; rule: string}> = [
  {id: 'I', name: 'Codebase', rule: 'One codebase tracked in revision control, many deploys'},
  {id: 'II', name: 'Dependencies', rule: 'Explicitly declare and isolate dependencies'},
  {id: 'III', name: 'Config', rule: 'Store config in the environment'},
  {id: 'IV', name: 'Backing services', rule: 'Treat backing services as attached resources'},
  {id: 'V', name: 'Build, release, run', rule: 'Strictly separate build and run stages'},
  {id: 'VI', name: 'Processes', rule: 'Execute the app as one or more stateless processes'},
  {id: 'VII', name: 'Port binding', rule: 'Export services via port binding'},
  {id: 'VIII', name: 'Concurrency', rule: 'Scale out via the process model'},
  {id: 'IX', name: 'Disposability', rule: 'Maximize robustness with fast startup and graceful shutdown'},
  {id: 'X', name: 'Dev/prod parity', rule: 'Keep development, staging, and production as similar as possible'},
  {id: 'XI', name: 'Logs', rule: 'Treat logs as event streams'},
  {id: 'XII', name: 'Admin processes', rule: 'Run admin/management tasks as one-off processes'},
]

export interface Check {
  /** Stable id for --json consumers and tests, e.g. "one-exposed-port". */
  id: string
  factor: FactorId
  status: Status
  /** One line: what was checked and the verdict. */
  summary: string
  /** What dk saw: file:line excerpts, HTTP answers, `docker diff` lines, timings. */
  evidence: string[]
  /** What to do about it (omitted on pass). */
  fix?: string
  /** `file:line:column` when the evidence points at one place. */
  location?: string
  /** static: files and Dockerfile; dynamic: a running container (--run). */
  kind: 'static' | 'dynamic'
  /** The check is a heuristic (best effort): a pass is not a proof. */
  bestEffort?: boolean
}

export interface FactorResult {
  id: FactorId
  name: string
  rule: string
  status: Status
  checks: Check[]
}

export interface RuntimeFacts {
  image: string
  /** Built from DIR (true) or given with --image (false). */
  built: boolean
  /** Milliseconds from container start until the first successful probe. */
  startupMs?: number
  /** Milliseconds `stop` took, and the exit code it produced. */
  stopMs?: number
  exitCode?: number
  port?: number
  protocol: 'http' | 'tcp'
}

export interface TwelveFactorReport {
  dir?: string
  image?: string
  /** Whether the dynamic checks ran (--run). */
  ran: boolean
  ok: boolean
  counts: Record<Status, number>
  factors: FactorResult[]
  runtime?: RuntimeFacts
}

const RANK: Record<Status, number> = {'not-checked': 0, pass: 1, warn: 2, fail: 3}

/** The worst status wins; a factor with no checks (or only not-checked ones) is not-checked. */
export function worstStatus(statuses: Status[]): Status {
  let worst: Status = 'not-checked'
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s
  return worst
}

export function buildReport(checks: Check[], meta: {dir?: string; image?: string; ran: boolean; runtime?: RuntimeFacts}): TwelveFactorReport {
  const factors = FACTORS.map(({id, name, rule}) => {
    const mine = checks.filter((c) => c.factor === id)
    return {id, name, rule, status: worstStatus(mine.map((c) => c.status)), checks: mine}
  })
  const counts: Record<Status, number> = {pass: 0, warn: 0, fail: 0, 'not-checked': 0}
  for (const f of factors) counts[f.status]++
  return {dir: meta.dir, image: meta.image, ran: meta.ran, ok: counts.fail === 0, counts, factors, runtime: meta.runtime}
}

/** Small constructors keep the check modules readable. */
export function pass(factor: FactorId, id: string, summary: string, evidence: string[] = [], extra: Partial<Check> = {}): Check {
  return {id, factor, status: 'pass', summary, evidence, kind: 'static', ...extra}
}

export function warn(factor: FactorId, id: string, summary: string, evidence: string[], fix: string, extra: Partial<Check> = {}): Check {
  return {id, factor, status: 'warn', summary, evidence, fix, kind: 'static', ...extra}
}

export function fail(factor: FactorId, id: string, summary: string, evidence: string[], fix: string, extra: Partial<Check> = {}): Check {
  return {id, factor, status: 'fail', summary, evidence, fix, kind: 'static', ...extra}
}

export function notChecked(factor: FactorId, id: string, summary: string, extra: Partial<Check> = {}): Check {
  return {id, factor, status: 'not-checked', summary, evidence: [], kind: 'static', ...extra}
}
