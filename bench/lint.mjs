#!/usr/bin/env node
/**
 * dk lint vs dockerfilelint 1.8.0 vs dockerfile-utils 0.16.3 on the same generated corpus of 200
 * Dockerfiles, in one run. Needs a build first (`npx tsc -p tsconfig.json`).
 *
 *   node bench/lint.mjs [--files 200] [--rounds 5] [--warmup 20] [--cycles 3] [--cli-sample 20]
 *
 * Two measurements, because they answer different questions:
 *  1. Lint work in-process (files already read): what each linter costs per file.
 *  2. The command line, wall time: what a user waits for. dk and dockerfilelint lint every file in
 *     one process; dockerfile-utils' CLI takes one file per process, so it is timed on a sample of
 *     files and extrapolated to the corpus (said so in the output).
 * Not part of the test command. Prints a Markdown table for docs/lint.md.
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const FILES = arg('files', 200)
const ROUNDS = arg('rounds', 5)
const WARMUP = arg('warmup', 20)
const CLI_SAMPLE = arg('cli-sample', 20)

// --- corpus -------------------------------------------------------------------------------------
const templates = [
  (i) => `FROM ubuntu:wily\nMAINTAINER Jane Doe <jane${i}@example.com>\nRUN apt-get update -qq\nRUN apt-get install -q -y memcached\nENV MEMCACHED_PORT ${11211 + i}\nCMD ["memcached", "-u", "daemon"]\nEXPOSE 11211\n`,
  (i) => `FROM node:20-alpine AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build && npm prune --production\n\nFROM node:20-alpine\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nCOPY --from=build /app/node_modules ./node_modules\nUSER node\nEXPOSE ${3000 + i}\nCMD ["node", "dist/server.js"]\n`,
  (i) => `FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN useradd -m app${i}\nUSER app${i}\nCMD gunicorn -b 0.0.0.0:8000 app:app\n`,
  (i) => `# syntax=docker/dockerfile:1\nARG GO_VERSION=1.22\nFROM golang:\${GO_VERSION} AS build\nWORKDIR /src\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=bind,source=go.mod,target=go.mod go mod download\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app${i} ./cmd/app\n\nFROM scratch\nCOPY --from=build /out/app${i} /app\nENTRYPOINT ["/app"]\n`,
  (i) => `# syntax=docker/dockerfile:1\nFROM debian:bookworm\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl ca-certificates\nrm -rf /var/lib/apt/lists/*\nEOF\nCOPY --chmod=755 <<EOF /usr/local/bin/hello\n#!/bin/sh\necho hello ${i}\nEOF\nCMD ["hello"]\n`,
  (i) => `FROM nginx:1.25\nCOPY nginx.conf /etc/nginx/nginx.conf\nCOPY site/ /usr/share/nginx/html/\nRUN sed -i 's/listen 80/listen ${8080 + i}/' /etc/nginx/conf.d/default.conf\nEXPOSE ${8080 + i}\nSTOPSIGNAL SIGQUIT\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:${8080 + i}/ || exit 1\n`,
  (i) => `FROM alpine:3.19\nRUN apk add --no-cache bash curl jq\nRUN addgroup -S app && adduser -S app -G app\nWORKDIR /home/app\nCOPY --chown=app:app entrypoint.sh .\nUSER app\nENTRYPOINT ["./entrypoint.sh"]\nCMD ["--port", "${9000 + i}"]\n`,
  (i) => `FROM busybox:1.35\nONBUILD COPY . /app\nONBUILD RUN /app/build.sh\nLABEL version="${i}"\nLABEL description="base image"\nLABEL maintainer="ops@example.com"\nWORKDIR /app\nCMD ["sh"]\n`,
  (i) => `FROM ruby:3.3\nRUN apt-get update && apt-get install -y nodejs postgresql-client\nWORKDIR /myapp\nCOPY Gemfile Gemfile.lock /myapp/\nRUN bundle install\nCOPY . /myapp\nRUN cd /myapp && bundle exec rake assets:precompile\nEXPOSE 3000\nCMD rails server -b 0.0.0.0 -p ${3000 + i}\n`,
  (i) => `FROM centos:7\nRUN yum install -y httpd && yum clean all\nADD index.html /var/www/html/\nADD https://example.com/pkg${i}.tar.gz /tmp/\nEXPOSE 80 443\nCMD ["/usr/sbin/httpd", "-D", "FOREGROUND"]\n`,
]

function makeCorpus(dir) {
  rmSync(dir, {recursive: true, force: true})
  const files = []
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `app${String(i).padStart(3, '0')}`)
    mkdirSync(sub, {recursive: true})
    const file = join(sub, 'Dockerfile')
    writeFileSync(file, templates[i % templates.length](i))
    files.push(file)
  }
  return files
}

// --- helpers ------------------------------------------------------------------------------------
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
/**
 * CPU time (user + system) is the number to trust on a shared machine; wall time is reported too.
 * In-process: process.cpuUsage(). Child processes: GNU time's %U + %S (children included).
 */
async function timeRoundsAsync(fn) {
  const cpu = []
  const wallMs = []
  for (let r = 0; r < ROUNDS; r++) {
    const c = process.cpuUsage()
    const t = performance.now()
    await fn()
    wallMs.push(performance.now() - t)
    const u = process.cpuUsage(c)
    cpu.push((u.user + u.system) / 1000)
  }
  return {cpu: median(cpu), wall: median(wallMs)}
}
function wall(cmd, args) {
  const t = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'DKCPU %U %S', cmd, ...args], {cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: {...process.env, NO_COLOR: '1'}})
  const ms = performance.now() - t
  const m = /DKCPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '')
  return {ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, status: r.status}
}

// --- in-process lint work, one child process per linter ------------------------------------------
// Each linter runs in a process of its own: in one shared process, the garbage one linter leaves is
// collected (by V8's helper threads, which process.cpuUsage() counts) during the next linter's
// round, so whoever runs after the heaviest allocator (dockerfile-utils) is charged for its garbage.
// The children are started in turn, CYCLES times, each order rotated, so that load from other
// processes on a shared machine falls on all three alike; the table shows the median and the best
// round over all cycles.
const CYCLES = arg('cycles', 3)
const corpus = join(tmpdir(), 'dk-lint-bench')
const childIndex = process.argv.indexOf('--child')

function loadLinter(name) {
  if (name === 'dk') return import(join(root, 'dist/src/dockerfile/lint.js')).then(({lintTextSync}) => (t) => lintTextSync(t).findings.length)
  if (name === 'du') return Promise.resolve(((validate) => (t) => validate(t).length)(require('dockerfile-utils').validate))
  const dockerfilelint = require('dockerfilelint')
  return Promise.resolve((t) => {
    try {
      return dockerfilelint.run(corpus, t).length
    } catch {
      return undefined // a crash, counted apart
    }
  })
}

if (childIndex !== -1) {
  const name = process.argv[childIndex + 1]
  const texts = readdirSync(corpus).sort().map((d) => readFileSync(join(corpus, d, 'Dockerfile'), 'utf8'))
  const lintOne = await loadLinter(name)
  let found = 0
  let crashes = 0
  const pass = () => {
    found = 0
    crashes = 0
    for (const t of texts) {
      const n = lintOne(t)
      if (n === undefined) crashes++
      else found += n
    }
  }
  // Warm-up: a few hundred functions reach their optimised tier only after several passes; without
  // it the first rounds time the JIT as much as the linter.
  for (let w = 0; w < WARMUP; w++) pass()
  const cpu = []
  const wallMs = []
  for (let r = 0; r < ROUNDS; r++) {
    const c = process.cpuUsage()
    const t = performance.now()
    pass()
    wallMs.push(performance.now() - t)
    const u = process.cpuUsage(c)
    cpu.push((u.user + u.system) / 1000)
  }
  process.stdout.write(JSON.stringify({cpu, wall: wallMs, findings: found, crashes}))
  process.exit(0)
}

const files = makeCorpus(corpus)
const texts = files.map((f) => readFileSync(f, 'utf8'))
const rows = []
const {lintText} = await import(join(root, 'dist/src/dockerfile/lint.js'))

const names = ['dk', 'du', 'dfl']
const samples = Object.fromEntries(names.map((k) => [k, {cpu: [], wall: [], findings: 0, crashes: 0}]))
const roundsPerChild = Math.max(1, Math.ceil(ROUNDS / CYCLES))
for (let cycle = 0; cycle < CYCLES; cycle++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + cycle) % names.length]
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, '--rounds', String(roundsPerChild), '--warmup', String(WARMUP)], {cwd: root, encoding: 'utf8'})
    if (child.status !== 0) throw new Error(`the ${name} child failed:\n${child.stderr}`)
    const result = JSON.parse(child.stdout)
    samples[name].cpu.push(...result.cpu)
    samples[name].wall.push(...result.wall)
    samples[name].findings = result.findings
    samples[name].crashes = result.crashes
  }
}
const summary = (name) => ({cpu: median(samples[name].cpu), best: Math.min(...samples[name].cpu), wall: median(samples[name].wall)})
const dkMs = summary('dk')
const duMs = summary('du')
const dflMs = summary('dfl')
const dkFindings = samples.dk.findings
const duFindings = samples.du.findings
const dflFindings = samples.dfl.findings
const dflCrashes = samples.dfl.crashes
const dkScMs = await timeRoundsAsync(async () => {
  for (const t of texts) await lintText(t)
})

const perSec = (ms) => Math.round((FILES / ms) * 1000)
const best = (ms) => `best round ${ms.best.toFixed(1)} ms CPU (${perSec(ms.best)} files/s)`
rows.push(['in-process lint work', 'dk lintTextSync (all rules, no ShellCheck)', dkMs.cpu, dkMs.wall, perSec(dkMs.cpu), `${dkFindings} findings; ${best(dkMs)}`])
rows.push(['in-process lint work', 'dk lintText one file at a time (ShellCheck process per file, CPU of this process only)', dkScMs.cpu, dkScMs.wall, perSec(dkScMs.wall), ''])
rows.push(['in-process lint work', 'dockerfile-utils validate()', duMs.cpu, duMs.wall, perSec(duMs.cpu), `${duFindings} diagnostics; ${best(duMs)}`])
rows.push(['in-process lint work', 'dockerfilelint run()', dflMs.cpu, dflMs.wall, perSec(dflMs.cpu), `${dflFindings} items, ${dflCrashes} crashes; ${best(dflMs)}`])

// CLI wall time.
const dkCli = []
for (let r = 0; r < 3; r++) dkCli.push(wall(process.execPath, ['bin/run.js', 'lint', corpus, '--format', 'json', '--no-fail']))
const dkOne = []
for (let r = 0; r < 3; r++) dkOne.push(wall(process.execPath, ['bin/run.js', 'lint', files[0], '--format', 'json', '--no-fail']))
const nodeBare = []
for (let r = 0; r < 3; r++) nodeBare.push(wall(process.execPath, ['-e', '0']))
const dflCli = []
for (let r = 0; r < 3; r++) dflCli.push(wall(process.execPath, [require.resolve('dockerfilelint/bin/dockerfilelint'), '-j', ...files]))
const duBin = join(dirname(require.resolve('dockerfile-utils/package.json')), 'bin', 'dockerfile-utils')
const duSample = files.slice(0, CLI_SAMPLE).map((f) => wall(process.execPath, [duBin, 'lint', f]))
const duPerFile = {cpu: duSample.reduce((a, b) => a + b.cpu, 0) / duSample.length, wall: duSample.reduce((a, b) => a + b.ms, 0) / duSample.length}

const m = (runs) => median(runs.map((r) => r.ms))
const c = (runs) => median(runs.map((r) => r.cpu))
rows.push(['CLI', `dk lint DIR (one process, ${FILES} files, ShellCheck batched)`, c(dkCli), m(dkCli), perSec(c(dkCli)), `exit ${dkCli[0].status}`])
rows.push(['CLI', 'dk lint FILE (one small file)', c(dkOne), m(dkOne), '', `bare \`node -e 0\`: ${Math.round(c(nodeBare))} ms CPU, ${Math.round(m(nodeBare))} ms wall`])
rows.push(['CLI', `dockerfilelint -j FILES (one process, ${FILES} files)`, c(dflCli), m(dflCli), perSec(c(dflCli)), `exit ${dflCli[0].status}`])
rows.push(['CLI', `dockerfile-utils lint FILE × ${FILES} (one process per file; ${CLI_SAMPLE} timed, extrapolated)`, duPerFile.cpu * FILES, duPerFile.wall * FILES, perSec(duPerFile.cpu * FILES), ''])

const fmt = (n) => (typeof n === 'number' ? (n >= 100 ? Math.round(n).toString() : n.toFixed(1)) : n)
const lines = [
  `Corpus: ${FILES} generated Dockerfiles (${templates.length} templates); each linter in a process of its own, ${CYCLES} turns of ${roundsPerChild} rounds after ${WARMUP} warm-up passes (median of all rounds); Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end.`,
  '',
  '| Measure | Tool | CPU ms | Wall ms | Files/s (CPU) | Notes |',
  '|---|---|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
  '',
  `Ratios by CPU (>1 = dk faster). In-process per file, median rounds: ${(duMs.cpu / dkMs.cpu).toFixed(2)}× dockerfile-utils, ${(dflMs.cpu / dkMs.cpu).toFixed(2)}× dockerfilelint; best rounds: ${(duMs.best / dkMs.best).toFixed(2)}×, ${(dflMs.best / dkMs.best).toFixed(2)}×.`,
  `Whole corpus from the command line: ${(c(dflCli) / c(dkCli)).toFixed(2)}× dockerfilelint, ${((duPerFile.cpu * FILES) / c(dkCli)).toFixed(2)}× dockerfile-utils.`,
]
console.log(lines.join('\n'))
