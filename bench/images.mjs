#!/usr/bin/env node
// dk vs the docker CLI on the same ~200 MB image, in one run: `save`, `load` and a classic-builder
// `build` of the same context. The engine does the same work in each pair, so the ratio shows
// the client's cost. Also dk's peak RSS (GNU time's "Maximum resident set size").
//
//   node bench/images.mjs [--runs N] [--mb SIZE]     (needs a built dist/: npx tsc -p tsconfig.json)
//
// Not part of the test command. Everything it creates carries io.dk.test=bench-images and is
// removed at the end.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dkBin = join(root, 'bin', 'run.js')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const runs = arg('--runs', 5)
const megabytes = arg('--mb', 200)
const image = `dkt-bench-images:${process.pid}`
const work = mkdtempSync(join(tmpdir(), 'dkt-bench-images-'))
const ctx = join(work, 'context')
const env = {...process.env, DOCKER_BUILDKIT: '0', NO_COLOR: '1'}
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

function hyperfine(name, commands, prepare) {
  const json = join(work, `${name}.json`)
  const args = ['-N', '--runs', String(runs), '--warmup', '1', '--export-json', json, '--style', 'basic']
  if (prepare) args.push('--prepare', `sh -c '${prepare}'`)
  for (const [label, command] of commands) args.push('-n', label, command)
  const result = spawnSync('hyperfine', args, {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})
  if (result.status !== 0) throw new Error(`hyperfine failed for ${name}:\n${result.stdout}`)
  return JSON.parse(readFileSync(json, 'utf8')).results
}

function peakRss(command, prepare) {
  if (prepare) sh(prepare)
  const result = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', command], {env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']})
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1])
  return kb * 1024
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`
const rows = []

try {
  process.stderr.write(`context: ${megabytes} MiB of random data, ${runs} runs each\n`)
  await makeContext()
  sh(`docker build -q -t ${image} ${ctx}`)
  const fileDk = join(work, 'dk.tar')
  const fileDocker = join(work, 'docker.tar')
  const removeImage = `docker rmi -f ${image} >/dev/null 2>&1 || true`

  const pairs = [
    ['save', [[`dk save`, `${dk} save -o ${fileDk} ${image}`], ['docker save', `docker save -o ${fileDocker} ${image}`]], undefined],
    ['load', [[`dk load`, `${dk} load -q -i ${fileDk}`], ['docker load', `docker load -q -i ${fileDk}`]], removeImage],
    ['build', [[`dk build`, `${dk} build -q --no-lint --no-cache -t ${image} ${ctx}`], ['docker build', `docker build -q --no-cache -t ${image} ${ctx}`]], undefined],
  ]
  sh(`docker save -o ${fileDk} ${image}`)
  for (const [name, commands, prepare] of pairs) {
    const [ours, theirs] = hyperfine(name, commands, prepare)
    const rss = peakRss(commands[0][1], prepare)
    const cpu = (r) => r.user + r.system
    rows.push({name, dk: ours.mean, dkSd: ours.stddev, docker: theirs.mean, dockerSd: theirs.stddev, ratio: ours.mean / theirs.mean, rss, dkCpu: cpu(ours), dockerCpu: cpu(theirs)})
  }

  const size = Number(sh(`docker image inspect -f '{{.Size}}' ${image}`).trim())
  console.log(`\nImage ${image}: ${mb(size)} (busybox + ${megabytes} MiB random file), ${runs} runs each (hyperfine -N, 1 warm-up)\n`)
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  console.log(`Load average at the end: ${load} (cores: ${(await import('node:os')).cpus().length})\n`)
  console.log('| operation | dk wall (s) | docker wall (s) | ratio dk/docker | dk CPU user+sys (s) | docker CPU user+sys (s) | dk peak RSS |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const r of rows)
    console.log(`| ${r.name} | ${r.dk.toFixed(2)} ± ${r.dkSd.toFixed(2)} | ${r.docker.toFixed(2)} ± ${r.dockerSd.toFixed(2)} | ${r.ratio.toFixed(3)} | ${r.dkCpu.toFixed(2)} | ${r.dockerCpu.toFixed(2)} | ${mb(r.rss)} |`)
} finally {
  spawnSync('sh', ['-c', `docker rmi -f ${image} >/dev/null 2>&1; docker images -aq --filter label=io.dk.test=bench-images | xargs -r docker rmi -f >/dev/null 2>&1`])
  rmSync(work, {recursive: true, force: true})
}
