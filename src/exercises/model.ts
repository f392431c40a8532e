/**
 * The shapes of the guided workshop, shared by the kit (what exercise authors write against), the
 * catalog (what is on disk), the runner (verify) and the commands.
 *
 * An exercise is a folder `exercises/NN-slug/` (README.md, exercise.yaml, scaffold/, solution/,
 * test/wrong-*, checks.ts). `checks.ts` default-exports `defineExercise({...})`: an ordered list of
 * checks, each returning pass / fail (the attendee's work is wrong) / env (the machine is not ready:
 * not the attendee's fault). Extend these types additively only: exercises 05–13 are written against
 * them in parallel.
 */
import type {LintFinding} from '../dockerfile/types.js'
import type {Engine} from '../engine/connect.js'

export type {LintFinding} from '../dockerfile/types.js'

/** exercise.yaml, validated. */
export interface ExerciseMeta {
  id: number
  slug: string
  title: string
  minutes: number
  /** Earlier exercises whose images/containers this one needs. */
  requires: number[]
  /** Base images that `dk setup` makes (busybox:latest, debian:bookworm). */
  images: string[]
  /** Three levels; 3 is close to the solution. */
  hints: [string, string, string]
  /** What this exercise leaves behind for later ones (checked by their preflight). */
  provides: {images: string[]; containers: string[]}
  /** The folder in the package: exercises/NN-slug. */
  root: string
  /** NN-slug: also the folder name in the workshop. */
  folder: string
}

export type CheckOutcome =
  | {status: 'pass'; evidence?: Record<string, unknown>}
  | {status: 'fail'; reason: string}
  | {status: 'env'; reason: string}

export interface Check {
  /** Stable id, used by test/wrong-NAME/expect.yaml and --json. */
  id: string
  /** What is checked, in the attendee's words: "The container dk-hello exists". */
  title: string
  /** Ids of earlier checks; when one of them did not pass, this check is skipped. */
  dependsOn?: string[]
  /** The hint level that helps with this check. */
  hint?: 1 | 2 | 3
  run(ctx: ExerciseContext): Promise<CheckOutcome>
}

export interface ExerciseDefinition {
  checks: Check[]
  /** After the solution files are laid over the scaffold: what an attendee would then run. */
  solve?: (ctx: ExerciseContext) => Promise<void>
  /** Named actions used by test/wrong-NAME/expect.yaml (`action: name`). */
  actions?: Record<string, (ctx: ExerciseContext) => Promise<void>>
  /** Ids of checks that need no engine (lint, context): `dk exercise watch` runs them on every save. */
  fast?: string[]
  /** Files dk generates into the scaffold besides scaffold/ (e.g. exercise 2's rootfs.tar). */
  scaffold?: (ctx: ScaffoldContext) => Promise<void>
}

/** What a scaffold hook may use: no engine, no nonce. */
export interface ScaffoldContext {
  exercise: {id: number; slug: string; title: string}
  dir: string
  workshopDir: string
  token: string
  /** Write a file (atomically) inside the exercise folder. */
  writeFile(relPath: string, data: string | Uint8Array | NodeJS.ReadableStream, mode?: number): Promise<void>
}

export interface ProcessResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface StartedContainer {
  id: string
  name: string
}

export interface BuildOptions {
  /** Relative to the build directory; default "Dockerfile". */
  dockerfile?: string
  /** A tag the task asks for; default: dk's own throw-away tag dk-verify/NN:<run>. */
  tag?: string
  buildArgs?: Record<string, string>
  /** Keep the image after the run (default: true when a tag is given). */
  keep?: boolean
}

export interface BuildOutcome {
  id: string
  tags: string[]
  /** The build's text output (the last lines: step lines, RUN output). */
  output: string
  /** The steps the builder ran (instruction, cached, layer id), when dk's build pipeline ran. */
  steps?: Array<{number: number; instruction: string; cached: boolean; layer?: string}>
  /** Lint findings below error level and builder warnings. */
  warnings?: string[]
}

export interface RunOptions {
  cmd?: string[]
  env?: Record<string, string> | string[]
  entrypoint?: string[]
  /** Docker's -p grammar: "127.0.0.1::8080", "127.0.0.1:8088:8080/tcp", "8080". */
  ports?: string[]
  publishAll?: boolean
  /** "name:alias" as --link takes them. */
  links?: string[]
  /** Docker's -v grammar: "NAME:/data", "/host:/ctr:ro". */
  volumes?: string[]
  /** Start and return {id, name} instead of waiting for the exit. */
  detach?: boolean
  name?: string
  user?: string
  /** Keep the container after the run (default: true when a name is given). */
  keep?: boolean
  /** Foreground runs are killed after this long (default 30 s). */
  timeoutMs?: number
  /** Run with --init (tini). */
  init?: boolean
  network?: string
  workingDir?: string
}

export interface HttpResponse {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

export interface ExerciseContext {
  exercise: {id: number; slug: string; title: string}
  /** WORKSHOP/NN-slug */
  dir: string
  workshopDir: string
  /** The attendee's token (in .dk/state.json). */
  token: string
  /** This verify run's id; labels every object made during it. */
  runId: string
  /** A fresh random value on every call. */
  nonce(): string
  engine(): Promise<Engine>
  /** dk's labels: managed, workshop, exercise, and run=<runId> (omitted when keep is true). */
  labels(extra?: Record<string, string>, options?: {keep?: boolean}): Record<string, string>
  lint(file: string): Promise<LintFinding[]>
  /** The instructions of a Dockerfile of the attendee's (parsed, never grepped). */
  dockerfile(file: string): Promise<DockerfileInstruction[]>
  /** The build context `dk build` would send (regular files, relative, forward slashes; .dockerignore applied) and its size. */
  context(dir: string, options?: {dockerfile?: string}): Promise<ContextSummary>
  build(dir: string, options?: BuildOptions): Promise<BuildOutcome>
  run(image: string, options: RunOptions & {detach: true}): Promise<StartedContainer>
  run(image: string, options?: RunOptions): Promise<ProcessResult>
  exec(container: string, cmd: string[], options?: {user?: string; env?: string[]}): Promise<ProcessResult>
  inspectImage(ref: string): Promise<ImageInfo>
  inspectContainer(nameOrId: string): Promise<ContainerInfo>
  imageExists(ref: string): Promise<boolean>
  /** The container with exactly this name, or undefined. */
  containerByName(name: string): Promise<ContainerInfo | undefined>
  /** The host port published for a container port on 127.0.0.1/0.0.0.0, e.g. '8080/tcp'. */
  publishedPort(container: string, port: string): Promise<number | undefined>
  httpGet(port: number, path?: string, options?: {retries?: number; timeoutMs?: number}): Promise<HttpResponse>
  tcpRequest(port: number, payload: string, options?: {until?: string | RegExp; timeoutMs?: number}): Promise<string>
  stopTimed(container: string, options?: {timeoutSeconds?: number}): Promise<{ms: number; exitCode: number}>
  /** Read a file of the attendee's, relative to `dir`. */
  readFile(relPath: string): Promise<string>
  fileExists(relPath: string): Promise<boolean>
  /** Run a host program (no shell) in `dir`. */
  sh(cmd: string[], options?: {cwd?: string; input?: string; env?: NodeJS.ProcessEnv}): Promise<ProcessResult>
  /** Registered cleanups run after the checks, in reverse order, even when a check fails. */
  cleanupLater(fn: () => Promise<unknown> | unknown): void
  /** Container logs (stdout and stderr demultiplexed). */
  logs(container: string): Promise<{stdout: string; stderr: string}>
  /** Remove a container (force, with its anonymous volumes); no error when it is gone. */
  removeContainer(nameOrId: string): Promise<void>
  /** Remove an image tag; no error when it is gone. */
  removeImage(ref: string): Promise<void>
}

export interface DockerfileInstruction {
  /** Upper-case keyword: FROM, RUN, CMD… (ONBUILD's trigger is in `trigger`). */
  keyword: string
  /** The arguments as written (line continuations joined). */
  args: string
  /** Exec form (JSON array) strings, when the instruction is written in that form. */
  json?: string[]
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** For FROM: the image as written, e.g. "workshop/base:1". */
  image?: string
  /** For ONBUILD: the instruction it defers. */
  trigger?: DockerfileInstruction
}

export interface ContextSummary {
  files: string[]
  bytes: number
}

/** The parts of GET /images/{id}/json that checks read. */
export interface ImageInfo {
  Id: string
  RepoTags?: string[]
  Created?: string
  Config?: {
    Cmd?: string[] | null
    Entrypoint?: string[] | null
    Env?: string[] | null
    ExposedPorts?: Record<string, object> | null
    Volumes?: Record<string, object> | null
    WorkingDir?: string
    User?: string
    Labels?: Record<string, string> | null
    OnBuild?: string[] | null
  }
  RootFS?: {Type: string; Layers?: string[]}
  Metadata?: {LastTagTime?: string}
  [key: string]: unknown
}

/** The parts of GET /containers/{id}/json that checks read. */
export interface ContainerInfo {
  Id: string
  Name: string
  Image: string
  Config: {Image: string; Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] | null; Labels?: Record<string, string> | null; Tty?: boolean}
  State: {Status: string; Running: boolean; ExitCode: number; StartedAt?: string; FinishedAt?: string}
  HostConfig: {Links?: string[] | null; PublishAllPorts?: boolean; PortBindings?: Record<string, Array<{HostIp: string; HostPort: string}> | null> | null; Binds?: string[] | null; Init?: boolean | null}
  NetworkSettings: {IPAddress?: string; Ports?: Record<string, Array<{HostIp: string; HostPort: string}> | null> | null; Networks?: Record<string, {IPAddress?: string}>}
  Mounts?: Array<{Type: string; Name?: string; Source?: string; Destination: string; RW?: boolean}>
  [key: string]: unknown
}

/** One check's result in a verify report. */
export interface CheckResult {
  id: string
  title: string
  status: 'pass' | 'fail' | 'env' | 'skipped'
  reason?: string
  evidence?: Record<string, unknown>
  hint?: 1 | 2 | 3
  ms: number
}

export interface VerifyReport {
  exercise: {id: number; slug: string; title: string}
  passed: boolean
  /** True when an environment problem (not the attendee's work) stopped or failed a check. */
  environmentProblem: boolean
  runId: string
  checks: CheckResult[]
  ms: number
}
