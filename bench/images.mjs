#!/usr/bin/env node
// dk vs the docker CLI on the same ~200 MB image, in one run: `save`, `load` and a classic-builder
// `build` of the same context. The engine does the same work in each pair, so the ratio shows
// the client's cost. Also CPU time (user+sys) and peak RSS of each client (GNU time).
//
//   node bench/images.mjs [--runs N] [--mb SIZE] [--only save,load,build]   (needs `npm run build`)
//
// The runs alternate (dk, docker, docker, dk, …) instead of running one client N times and then the
// other: on a shared virtual machine the disk and the engine drift over minutes (page cache, dirty
// pages of the last 200 MB written, image deletion), and alternating spreads that drift over both
// clients. Before every run the disk is synced, so no run pays for the previous one's writeback.
// Medians, not means, so one stall does not decide the ratio; the ratio reported is the median of
// the ratios of neighbouring runs (dk / the docker run next to it), which drift cancels out of.
//
// Equal engine work: dk labels every image it builds (io.dk.managed=true), which the classic builder
// applies as one more LABEL step (a container create and commit); docker gets the same --label, so
// both builds have the same steps and the difference is the client's.
//
// NODE_EXTRA_CA_CERTS: when the environment sets it (this project's machine does, for its registry
// proxy), every Node process parses that certificate file at start-up, before any of dk's code runs
// (~60 ms here). dk is then also timed with it unset, as a third client, and both are reported.
//
// Not part of the test command. Everything it creates carries io.dk.test=bench-images and is
// removed at the end.
import {execFileSync, spawnSync} from 'node:child_process'
import {createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {cpus, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dkBin = join(root, 'bin', 'run.js')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : process.argv[i + 1]
}
const runs = Number(arg('--runs', 7))
const megabytes = Number(arg('--mb', 200))
const only = new Set(String(arg('--only', 'save,load,build')).split(','))
const image = `dkt-bench-images:${process.pid}`
const work = mkdtempSync(join(tmpdir(), 'dkt-bench-images-'))
const ctx = join(work, 'context')
const env = {...process.env, DOCKER_BUILDKIT: '0', NO_COLOR: '1'}
const caCerts = process.env.NODE_EXTRA_CA_CERTS
const cleanEnv = {...env}
delete cleanEnv.NODE_EXTRA_CA_CERTS
const dk = `node ${dkBin}`

function sh(command) {
  return execFileSync('sh', ['-c', command], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

async function makeContext() {
  execFileSync('mkdir', ['-p', ctx])
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox:latest\nLABEL io.dk.test=bench-images\nCOPY big.bin /big.bin\nCMD ["sh"]\n')
  const out = createWriteStream(join(ctx, 'big.bin'))
  for (let i = 0; i < megabytes; i++) if (!out.write(randomBytes(1 << 20))) await new Promise((r) => out.once('drain', r))
  await new Promise((r) => out.end(r))
}

/** One timed run: wall from here, CPU and peak RSS from GNU time. */
function measure(command, extraEnv = env) {
  const started = performance.now()
  const result = spawnSync('/usr/bin/time', ['-f', 'DKBENCH %U %S %M', 'sh', '-c', `exec ${command}`], {env: extraEnv, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']})
  const wall = (performance.now() - started) / 1000
  const m = /DKBENCH ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(result.stderr)
  if (result.status !== 0 || !m) throw new Error(`failed: ${command}\n${result.stderr}`)
  return {wall, cpu: Number(m[1]) + Number(m[2]), rss: Number(m[3]) * 1024}
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`

/**
 * Alternate the clients (the last one is docker), warm each once, and return for each the medians and
 * the median of its per-round ratios to docker.
 */
function compare(commands, prepare) {
  const samples = commands.map(() => [])
  for (let i = -1; i < runs; i++) {
    const order = commands.map((_, k) => k)
    if (i % 2 !== 0) order.reverse()
    for (const k of order) {
      if (prepare) sh(prepare)
      sh('sync')
      const sample = measure(commands[k].command, commands[k].env)
      if (i >= 0) samples[k].push(sample)
    }
  }
  const docker = samples.at(-1)
  return samples.map((list) => ({
    wall: median(list.map((s) => s.wall)),
    cpu: median(list.map((s) => s.cpu)),
    rss: Math.max(...list.map((s) => s.rss)),
    min: Math.min(...list.map((s) => s.wall)),
    max: Math.max(...list.map((s) => s.wall)),
    ratio: median(list.map((s, r) => s.wall / docker[r].wall)),
  }))
}

const rows = []
try {
  process.stderr.write(`context: ${megabytes} MiB of random data, ${runs} alternating runs each\n`)
  await makeContext()
  sh(`docker build -q -t ${image} ${ctx}`)
  const fileDk = join(work, 'dk.tar')
  const fileDocker = join(work, 'docker.tar')
  const removeImage = `docker rmi -f ${image} >/dev/null 2>&1 || true`
  sh(`docker save -o ${fileDk} ${image}`)

  const operations = [
    ['save', `${dk} save -o ${fileDk} ${image}`, `docker save -o ${fileDocker} ${image}`, undefined],
    ['load', `${dk} load -q -i ${fileDk}`, `docker load -q -i ${fileDk}`, removeImage],
    ['build', `${dk} build -q --no-lint --no-cache -t ${image} ${ctx}`, `docker build -q --no-cache --label io.dk.managed=true -t ${image} ${ctx}`, undefined],
  ]
  for (const [name, ours, theirs, prepare] of operations) {
    if (!only.has(name)) continue
    process.stderr.write(`${name}…\n`)
    const clients = [{command: ours, env}, ...(caCerts ? [{command: ours, env: cleanEnv}] : []), {command: theirs, env}]
    const results = compare(clients, prepare)
    rows.push({name, ours: results[0], clean: caCerts ? results[1] : undefined, theirs: results.at(-1)})
    // Builds leave the previous image untagged; drop them so the next operation starts from the same state.
    sh(`docker images -q --filter dangling=true --filter label=io.dk.test=bench-images | xargs -r docker rmi -f >/dev/null 2>&1 || true`)
  }

  const size = Number(sh(`docker image inspect -f '{{.Size}}' ${image}`).trim())
  console.log(`\nImage ${image}: ${mb(size)} (busybox + ${megabytes} MiB random file), ${runs} alternating runs each after one warm-up\n`)
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  console.log(`Load average at the end: ${load} (cores: ${cpus().length})\n`)
  if (caCerts) {
    const start = (e) => median(Array.from({length: 9}, () => measure('node -e 0', e).wall))
    console.log(`NODE_EXTRA_CA_CERTS=${caCerts} is set: \`node -e 0\` takes ${(start(env) * 1000).toFixed(0)} ms with it, ${(start(cleanEnv) * 1000).toFixed(0)} ms without.\n`)
  }
  const seconds = (r) => `${r.wall.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
  const cleanHead = rows.some((r) => r.clean) ? ' dk without NODE_EXTRA_CA_CERTS (s) | its ratio |' : ''
  console.log(`| operation | dk wall (s) | docker wall (s) | dk / docker |${cleanHead} dk CPU (s) | docker CPU (s) | dk peak RSS |`)
  console.log(`|---|---:|---:|---:|${cleanHead ? '---:|---:|' : ''}---:|---:|---:|`)
  for (const r of rows) {
    const clean = r.clean ? ` ${seconds(r.clean)} | **${r.clean.ratio.toFixed(3)}** |` : ''
    console.log(`| ${r.name} | ${seconds(r.ours)} | ${seconds(r.theirs)} | **${r.ours.ratio.toFixed(3)}** |${clean} ${r.ours.cpu.toFixed(2)} | ${r.theirs.cpu.toFixed(2)} | ${mb(r.ours.rss)} |`)
  }
  console.log('\nRatios: the median of the ratios of neighbouring runs (see the top of this file); wall times: median (min–max).')
} finally {
  spawnSync('sh', ['-c', `docker rmi -f ${image} >/dev/null 2>&1; docker images -aq --filter label=io.dk.test=bench-images | xargs -r docker rmi -f >/dev/null 2>&1`])
  rmSync(work, {recursive: true, force: true})
}
