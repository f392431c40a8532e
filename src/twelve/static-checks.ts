/**
 * The static half of the report card: what the files say, without an engine. Each function
 * returns checks for one concern; `staticChecks` runs them all. When an image is known (--run or
 * --image), `imageChecks` replaces the Dockerfile-only view of ports and CMD with the image's
 * own config, which includes what it inherits from its base.
 */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {fileError} from '../cli/errors.js'
import type {DockerfileFacts} from './dockerfile-facts.js'
import {dockerfileFacts} from './dockerfile-facts.js'
import {findManifests} from './manifests.js'
import {ADMIN_TYPES, parseProcfile} from './procfile.js'
import {listProjectFiles, type ProjectFiles, readTextHead} from './project-files.js'
import {type Check, fail, notChecked, pass, warn} from './report.js'
import {environmentConfigKind, isConfigLike, scanSecrets, secretFileKind} from './secrets.js'

export interface StaticInput {
  dir: string
  /** Dockerfile path relative to dir (default "Dockerfile"). */
  dockerfile?: string
}

export interface StaticOutcome {
  checks: Check[]
  facts?: DockerfileFacts
  /** The Dockerfile's path as shown in evidence. */
  dockerfileName: string
}

export async function staticChecks(input: StaticInput): Promise<StaticOutcome> {
  const dir = resolve(input.dir)
  const dockerfileName = input.dockerfile ?? 'Dockerfile'
  let text: string | undefined
  try {
    text = await readFile(join(dir, dockerfileName), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(error, join(dir, dockerfileName), 'Dockerfile')
  }
  const project = await listProjectFiles(dir, text === undefined ? undefined : dockerfileName)
  const facts = text === undefined ? undefined : dockerfileFacts(text)
  const checks: Check[] = [
    ...codebaseChecks(dir, project),
    ...(await dependencyChecks(dir, project, facts)),
    ...(await configChecks(dir, project, facts, dockerfileName)),
    ...(await backingServiceChecks(dir, project)),
    ...(await buildChecks(text, facts, dockerfileName)),
    ...volumeChecks(facts, dockerfileName),
    ...portChecks(facts, dockerfileName),
    ...(await procfileChecks(dir, project)),
    ...signalChecks(facts, dockerfileName),
    ...parityChecks(project),
    ...(await logChecks(dir, project, text, dockerfileName)),
  ]
  return {checks, facts, dockerfileName}
}

const where = (file: string, line: number, column = 1) => `${file}:${line}:${column}`

// I — Codebase
export function codebaseChecks(dir: string, project: ProjectFiles): Check[] {
  const checks: Check[] = []
  let repo: string | undefined
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) {
      repo = d
      break
    }
    if (dirname(d) === d) break
  }
  checks.push(
    repo
      ? pass('I', 'revision-control', 'The app lives in a git repository', [`git repository at ${repo}`], {bestEffort: true})
      : warn('I', 'revision-control', 'The app is not in revision control', [`no .git in ${dir} or any parent folder`], 'Track the app in git (`git init`): one codebase, many deploys.'),
  )
  if (project.hasGitDir && project.context) {
    const sent = [...project.context].filter((p) => p === '.git' || p.startsWith('.git/'))
    if (sent.length > 0)
      checks.push(warn('I', 'git-in-context', 'The build context sends the .git folder', [`${sent.length} path(s) under .git/ would be sent to the engine`], 'Add `.git` to .dockerignore: history does not belong in an image.'))
  }
  return checks
}

// II — Dependencies
export async function dependencyChecks(dir: string, project: ProjectFiles, facts: DockerfileFacts | undefined): Promise<Check[]> {
  const topLevel = new Set(project.files.filter((f) => !f.path.includes('/')).map((f) => f.path))
  const texts = new Map<string, string | undefined>()
  for (const name of ['requirements.txt', 'go.mod']) {
    const file = project.files.find((f) => f.path === name)
    if (file) texts.set(name, await readTextHead(dir, file))
  }
  const verdicts = findManifests(topLevel, (name) => texts.get(name))
  if (verdicts.length === 0) {
    return [
      pass('II', 'dependency-manifest', 'No language package manifest: the Dockerfile declares the dependencies', facts?.from ? [`FROM ${facts.from.value} and its RUN steps are the whole dependency list`] : ['no Dockerfile and no manifest found'], {
        bestEffort: true,
      }),
    ]
  }
  return verdicts.map((v) =>
    v.lock || v.selfLocked
      ? pass('II', 'dependency-lock', `${v.ecosystem.name} dependencies are declared and locked`, [v.lock ? `${v.ecosystem.manifest} + ${v.lock}` : `${v.ecosystem.manifest} pins exact versions`])
      : fail('II', 'dependency-lock', `${v.ecosystem.name} dependencies are declared but not locked`, [`${v.ecosystem.manifest} has no lock file (${v.ecosystem.locks.join(', ') || 'exact pins'})`], `Create and commit a lock file: ${v.ecosystem.lockCommand}.`, {
          location: where(v.ecosystem.manifest, 1),
        }),
  )
}

// III — Config (secrets and environment-specific config, in the directory and in the context)
export async function configChecks(dir: string, project: ProjectFiles, facts: DockerfileFacts | undefined, dockerfileName: string): Promise<Check[]> {
  const inImage: string[] = []
  const inDirOnly: string[] = []
  let firstLocation: string | undefined
  const envConfigs: string[] = []
  const sent = (path: string) => (project.context ? project.context.has(path) : true)
  for (const file of project.files) {
    const kind = secretFileKind(file.path)
    const hits: string[] = []
    if (kind) hits.push(`${file.path}: ${kind}`)
    if (!file.symlink && isConfigLike(file.path) && file.path !== dockerfileName) {
      const text = await readTextHead(dir, file)
      for (const hit of text ? scanSecrets(text).slice(0, 3) : []) {
        hits.push(`${where(file.path, hit.line, hit.column)}: ${hit.what} (${hit.excerpt})`)
        firstLocation ??= sent(file.path) ? where(file.path, hit.line, hit.column) : undefined
      }
    }
    if (hits.length > 0) (sent(file.path) ? inImage : inDirOnly).push(...hits)
    const envKind = environmentConfigKind(file.path)
    if (envKind && !kind) envConfigs.push(`${file.path}: ${envKind}`)
  }
  for (const env of facts?.env ?? []) {
    if (/(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i.test(env.value.name) && env.value.value.trim() !== '') {
      inImage.push(`${where(dockerfileName, env.line, env.column)}: ENV ${env.value.name} bakes a secret into every image layer`)
      firstLocation ??= where(dockerfileName, env.line, env.column)
    }
  }
  const checks: Check[] = []
  const contextNote = project.context ? 'checked against the files the build context would send' : 'the build-context packer is not available: every file in the directory counts as sent'
  if (inImage.length > 0)
    checks.push(
      fail('III', 'no-secrets', 'Secrets would be baked into the image', [...inImage.slice(0, 10), contextNote], 'Remove them from the repository and pass them at run time (`dk run -e NAME=…`, the platform\'s config); add the files to .dockerignore and .gitignore.', {
        location: firstLocation,
      }),
    )
  if (inDirOnly.length > 0)
    checks.push(
      warn('III', 'no-committed-secrets', 'Secrets sit in the project folder (not sent to the engine)', [...inDirOnly.slice(0, 10), 'excluded by .dockerignore'], 'Keep them out of the codebase too: add them to .gitignore and load them from the environment.'),
    )
  if (inImage.length === 0 && inDirOnly.length === 0)
    checks.push(pass('III', 'no-secrets', 'No committed secrets found', [`${project.files.length} files scanned (${contextNote})`], {bestEffort: true}))
  if (envConfigs.length > 0)
    checks.push(warn('III', 'no-environment-config', 'Configuration files for one environment', envConfigs.slice(0, 10), 'One build for every environment: read settings that differ per deploy from environment variables.'))
  return checks
}

// IV — Backing services
export async function backingServiceChecks(dir: string, project: ProjectFiles): Promise<Check[]> {
  const hits: string[] = []
  const url = /\b(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|memcached?):\/\/[^\s'"`]+/i
  for (const file of project.files) {
    if (file.symlink || !isConfigLike(file.path) || hits.length >= 5) continue
    const text = await readTextHead(dir, file)
    text?.split(/\r\n|\r|\n/).forEach((line, index) => {
      const m = url.exec(line)
      if (m && !/\$\{?[A-Z_]/.test(m[0])) hits.push(`${where(file.path, index + 1, m.index + 1)}: ${m[0].replace(/:\/\/([^:@/]+):[^@/]+@/, '://$1:***@')}`)
    })
  }
  return hits.length > 0
    ? [warn('IV', 'attached-resources', 'Backing services are hard-coded', hits, 'Read each service\'s URL from the environment (DATABASE_URL, REDIS_URL…) so a deploy can swap it without a code change.', {bestEffort: true})]
    : [pass('IV', 'attached-resources', 'No hard-coded backing-service URLs found', [], {bestEffort: true})]
}

// V — Build, release, run: the Dockerfile itself
export async function buildChecks(text: string | undefined, facts: DockerfileFacts | undefined, dockerfileName: string): Promise<Check[]> {
  if (text === undefined || !facts) return [fail('V', 'dockerfile', 'No Dockerfile', [`${dockerfileName} not found`], 'Add a Dockerfile: the build stage turns the codebase into an image (`dk init` has starters).')]
  const {lintText} = await import('../dockerfile/lint.js')
  const result = await lintText(text, {file: dockerfileName, profile: 'deis'})
  const errors = result.findings.filter((f) => f.severity === 'error')
  const warnings = result.findings.filter((f) => f.severity === 'warning')
  const lines = (list: typeof result.findings) => list.slice(0, 8).map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`)
  const checks: Check[] = []
  if (errors.length > 0)
    checks.push(fail('V', 'lint-deis', `The Dockerfile has ${errors.length} lint error(s) under --profile deis`, lines([...errors, ...warnings]), `Fix them: \`dk lint --profile deis ${dockerfileName}\` explains each rule.`, {location: `${errors[0].file}:${errors[0].line}:${errors[0].column}`}))
  else if (warnings.length > 0)
    checks.push(warn('V', 'lint-deis', `The Dockerfile has ${warnings.length} lint warning(s) under --profile deis`, lines(warnings), `See \`dk lint --profile deis ${dockerfileName}\`.`, {location: `${warnings[0].file}:${warnings[0].line}:${warnings[0].column}`}))
  else checks.push(pass('V', 'lint-deis', 'The Dockerfile lints clean under --profile deis', [`${result.findings.length} finding(s) below warning level`]))

  if (facts.cmd || facts.entrypoint) {
    const c = (facts.cmd ?? facts.entrypoint)!
    checks.push(pass('V', 'cmd', 'The image has a default command', [`${where(dockerfileName, c.line, c.column)}: ${facts.cmd ? 'CMD' : 'ENTRYPOINT'} ${c.value.text}`]))
  } else {
    checks.push(
      warn('V', 'cmd', 'No CMD or ENTRYPOINT in the Dockerfile', [`the image inherits the command of ${facts.from?.value ?? 'its base'}; run with --run to check the built image`], 'Add an exec-form CMD: a platform starts the image without arguments.'),
    )
  }
  return checks
}

// VI — Processes (static part: declared volumes)
function volumeChecks(facts: DockerfileFacts | undefined, dockerfileName: string): Check[] {
  if (!facts || facts.volumes.length === 0) return []
  return [
    warn('VI', 'no-volumes', 'The image declares VOLUMEs', facts.volumes.map((v) => `${where(dockerfileName, v.line, v.column)}: VOLUME ${v.value}`), 'Keep state in backing services; a platform such as Deis gives containers no persistent volumes.'),
  ]
}

// VII — Port binding (Dockerfile view)
export function portChecks(facts: DockerfileFacts | undefined, dockerfileName: string): Check[] {
  if (!facts) return []
  const ports = [...new Set(facts.exposed.map((p) => p.value))]
  const evidence = facts.exposed.map((p) => `${where(dockerfileName, p.line, p.column)}: EXPOSE ${p.value}`)
  if (ports.length === 1) return [pass('VII', 'one-port', 'Exactly one exposed port', evidence)]
  if (ports.length === 0)
    return [warn('VII', 'one-port', 'No EXPOSE in the Dockerfile', [`ports may be inherited from ${facts.from?.value ?? 'the base'}; --run checks the image`], 'EXPOSE the one port the app listens on ($PORT): Deis routes HTTP to it.')]
  return [
    fail('VII', 'one-port', `${ports.length} exposed ports; a Deis app exposes exactly one`, evidence, 'Expose only the port the app serves on and bind it to $PORT; run other listeners as separate apps (processes).', {
      location: where(dockerfileName, facts.exposed[1].line, facts.exposed[1].column),
    }),
  ]
}

// VIII and XII — Procfile
export async function procfileChecks(dir: string, project: ProjectFiles): Promise<Check[]> {
  const file = project.files.find((f) => f.path === 'Procfile')
  if (!file)
    return [
      pass('VIII', 'process-types', 'No Procfile: one process type (the image\'s CMD)', [], {bestEffort: true}),
      notChecked('XII', 'admin-processes', 'No Procfile: no admin process types declared'),
    ]
  const text = (await readTextHead(dir, file)) ?? ''
  const procfile = parseProcfile(text)
  const checks: Check[] = []
  const listed = procfile.types.map((t) => `${t.name}: ${t.command} (Procfile:${t.line})`)
  if (procfile.problems.length > 0) {
    const first = procfile.problems[0]
    checks.push(
      fail('VIII', 'procfile', `The Procfile does not parse (${procfile.problems.length} problem(s))`, [...procfile.problems.map((p) => `${where('Procfile', p.line, p.column)}: ${p.message}`), ...listed], 'One `name: command` per line; names use letters, digits, _ and -.', {
        location: where('Procfile', first.line, first.column),
      }),
    )
  } else {
    checks.push(pass('VIII', 'procfile', `The Procfile declares ${procfile.types.length} process type(s)`, listed))
  }
  const admin = procfile.types.filter((t) => ADMIN_TYPES.test(t.name))
  checks.push(
    admin.length > 0
      ? pass('XII', 'admin-processes', 'Admin tasks are declared as one-off process types', admin.map((t) => `${t.name}: ${t.command}`))
      : notChecked('XII', 'admin-processes', 'The Procfile declares no admin process types (release, migrate, console…)'),
  )
  return checks
}

// IX — Disposability (static part: signals reach the app)
function signalChecks(facts: DockerfileFacts | undefined, dockerfileName: string): Check[] {
  const command = facts?.entrypoint ?? facts?.cmd
  if (!command || command.value.form !== 'shell') return []
  const keyword = facts?.entrypoint ? 'ENTRYPOINT' : 'CMD'
  return [
    warn('IX', 'exec-form', `${keyword} is in shell form: /bin/sh -c is PID 1 and may not pass SIGTERM on`, [`${where(dockerfileName, command.line, command.column)}: ${keyword} ${command.value.text}`], `Use the exec form, ${keyword} ["executable", "arg"], so the app receives SIGTERM from \`dk stop\`.`, {
      location: where(dockerfileName, command.line, command.column),
      bestEffort: true,
    }),
  ]
}

// X — Dev/prod parity
function parityChecks(project: ProjectFiles): Check[] {
  const variants = project.files
    .map((f) => f.path)
    .filter((p) => /(^|\/)(Dockerfile[._-](dev|development|prod|production|staging|local)|docker-compose[._-](prod|production|staging)\.ya?ml)$/i.test(p))
  return variants.length > 0
    ? [warn('X', 'one-build', 'Separate Dockerfiles or compose files per environment', variants, 'Build one image and promote it through every environment; let config (the environment) make the difference.')]
    : [pass('X', 'one-build', 'One Dockerfile for every environment', [], {bestEffort: true})]
}

// XI — Logs (static, best effort)
export async function logChecks(dir: string, project: ProjectFiles, dockerfileText: string | undefined, dockerfileName: string): Promise<Check[]> {
  const patterns = [
    /(?:^|[^0-9&])>>?\s*["']?([^\s"'|;&]+\.log)\b/,
    /--?(?:log-?file|logfile|error-?log|access-?log)[=\s]+["']?([^\s"']+)/i,
    /\b(?:access_log|error_log|ErrorLog|CustomLog|logfile)\s+["']?(\/[^\s"';]+)/,
    /\bFileHandler\(\s*["']([^"']+)/,
  ]
  const hits: string[] = []
  let location: string | undefined
  const scan = (name: string, text: string) =>
    text.split(/\r\n|\r|\n/).forEach((line, index) => {
      if (/^\s*#/.test(line)) return
      for (const re of patterns) {
        const m = re.exec(line)
        if (m && !/^\/dev\/(stdout|stderr)|^\/proc\/self\/fd\/[12]$/.test(m[1])) {
          // The match may start with the separator before the redirection: point past it.
          const column = m.index + Math.max(0, m[0].search(/[^\s]/)) + 1
          hits.push(`${where(name, index + 1, column)}: ${line.trim().slice(0, 120)}`)
          location ??= where(name, index + 1, column)
          break
        }
      }
    })
  if (dockerfileText) scan(dockerfileName, dockerfileText)
  for (const file of project.files) {
    if (file.symlink || file.path === dockerfileName || !/\.(sh|conf|cfg|ini|ya?ml|json|py|rb|js|php|cgi)$|(^|\/)(Procfile|entrypoint|start|run)$/.test(file.path)) continue
    const text = await readTextHead(dir, file)
    if (text) scan(file.path, text)
    if (hits.length >= 10) break
  }
  return hits.length > 0
    ? [warn('XI', 'logs-to-stdout', 'The app seems to write logs to files', hits, 'Write logs unbuffered to stdout/stderr; the platform collects the stream (`dk logs`).', {location, bestEffort: true})]
    : [pass('XI', 'logs-to-stdout', 'No log files configured in the Dockerfile or scripts', [], {bestEffort: true})]
}
