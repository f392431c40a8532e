#!/usr/bin/env node
/**
 * Benchmark: packing a large build context, on the same data in one run.
 *
 *   dk      planContext + packContext in a Node process (`--pack DIR`) → a byte-counting sink
 *   dk CLI  node bin/run.js context DIR --tar -  (adds oclif start-up; without oclif.manifest.json
 *           oclif imports every command module, which costs ~0.4 s CPU today)
 *   docker  DOCKER_BUILDKIT=0 docker build DIR       → the recording stand-in engine (bench/context.recorder.mjs)
 *   tar     tar -cf - --exclude=./node_modules -C DIR . | cat > /dev/null
 *
 * Data (bench/.data, git-ignored, removed afterwards unless --keep): 50,000 files of incompressible
 * data in 500 directories (~500 MB) plus a node_modules/ of 60,000 small files that .dockerignore
 * excludes. `--scale 0.2` makes everything five times smaller. Runs are interleaved (one warm-up each,
 * then --rounds rounds) so that page cache and machine load hit all three alike. Peak RSS comes from
 * /proc/<pid>/status (VmHWM), polled while each process runs.
 *
 * Needs a built dk (`npx tsc -p tsconfig.json`) and the docker CLI. Usage:
 *   node bench/context.mjs [--scale 1] [--rounds 3] [--keep]
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startRecorder} from './context.recorder.mjs'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const scale = Number(option('scale', '1'))
const rounds = Number(option('rounds', '3'))
const keep = args.includes('--keep')
const dataDir = join(repo, 'bench', '.data', `context-${scale}`)
const ctx = join(dataDir, 'ctx')

const FILES = Math.round(50_000 * scale)
const DIRS = Math.max(1, Math.round(500 * scale))
const BYTES = Math.round(500 * 1000 * 1000 * scale)
const NM_FILES = Math.round(60_000 * scale)
const NM_DIRS = Math.max(1, Math.round(3_000 * scale))

function generate() {
  if (existsSync(join(ctx, '.complete'))) return
  rmSync(dataDir, {recursive: true, force: true})
  mkdirSync(ctx, {recursive: true})
  const started = Date.now()
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /app\n')
  writeFileSync(join(ctx, '.dockerignore'), 'node_modules\n')
  // Sizes vary (a few hundred bytes to ~60 kB) around the average, like real sources and assets.
  const average = BYTES / FILES
  const pool = randomBytes(8 * 1024 * 1024)
  for (let d = 0; d < DIRS; d++) mkdirSync(join(ctx, 'src', `d${String(d).padStart(3, '0')}`), {recursive: true})
  for (let i = 0; i < FILES; i++) {
    const size = Math.max(1, Math.round(average * (0.05 + 1.9 * ((i * 7919) % 1000) / 1000)))
    const offset = (i * 104_729) % (pool.length - size)
    writeFileSync(join(ctx, 'src', `d${String(i % DIRS).padStart(3, '0')}`, `f${i}.bin`), pool.subarray(offset, offset + size))
  }
  for (let d = 0; d < NM_DIRS; d++) mkdirSync(join(ctx, 'node_modules', `pkg${d}`, 'lib'), {recursive: true})
  for (let i = 0; i < NM_FILES; i++) writeFileSync(join(ctx, 'node_modules', `pkg${i % NM_DIRS}`, 'lib', `m${i}.js`), `module.exports = ${i}\n`.repeat(100))
  writeFileSync(join(ctx, '.complete'), '')
  console.error(`generated ${FILES} files / ${(BYTES / 1e6).toFixed(0)} MB + node_modules ${NM_FILES} files in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** Peak RSS (VmHWM, kB) of a running process, polled until it exits. */
function watchPeak(pid) {
  let peak = 0
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m) peak = Math.max(peak, Number(m[1]))
    } catch {
      // exited
    }
  }, 20)
  return () => {
    clearInterval(timer)
    return peak
  }
}

/** Run under GNU time for CPU seconds (user+sys, children included): stable even on a loaded machine. */
function run(command, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const timeFile = join(dataDir, `time-${process.pid}-${Date.now()}`)
    const child = spawn('/usr/bin/time', ['-q', '-f', '%U %S %M', '-o', timeFile, command, ...argv], {stdio: ['ignore', 'pipe', 'pipe'], ...options})
    const stopWatch = watchPeak(child.pid)
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (b) => (bytes += b.length))
    child.stderr.on('data', (b) => (stderr += b))
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      let cpu = Number.NaN
      let peakFromTime = 0
      try {
        const [user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number)
        cpu = user + sys
        peakFromTime = maxKb
        rmSync(timeFile)
      } catch {
        // no GNU time output
      }
      stopWatch()
      // GNU time's %M is the largest RSS of the measured process (for a pipeline: of its largest member).
      resolve({code, seconds, cpu, bytes, peakKb: peakFromTime, stderr})
    })
  })
}

/** `--pack DIR`: what the `dk` contestant runs: planContext + packContext to stdout, nothing else. */
async function packToStdout(dir) {
  const {planContext, packContext} = await import(join(repo, 'dist', 'src', 'context', 'index.js'))
  const plan = await planContext(dir)
  const {pipeline} = await import('node:stream/promises')
  await pipeline(packContext(plan), process.stdout)
}

async function main() {
  generate()
  const recorder = await startRecorder({keep: false})
  const contestants = {
    dk: async () => {
      const r = await run(process.execPath, [fileURLToPath(import.meta.url), '--pack', ctx])
      if (r.code !== 0) throw new Error(`dk failed: ${r.stderr}`)
      return r
    },
    'dk CLI': async () => {
      const r = await run(process.execPath, [join(repo, 'bin', 'run.js'), 'context', ctx, '--tar', '-'])
      if (r.code !== 0) throw new Error(`dk CLI failed: ${r.stderr}`)
      return r
    },
    docker: async () => {
      const before = recorder.uploads.length
      const r = await run('docker', ['build', '-q', ctx], {env: recorder.env})
      const upload = recorder.uploads[before]
      if (!upload) throw new Error(`docker sent nothing: ${r.stderr}`)
      return {...r, bytes: upload.bytes}
    },
    tar: async () => run('sh', ['-c', `tar -cf - --exclude=./node_modules -C '${ctx}' . | cat`]),
  }
  const results = Object.fromEntries(Object.keys(contestants).map((k) => [k, []]))
  for (let round = -1; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contestants)) {
      const r = await fn()
      if (round >= 0) results[name].push(r)
      console.error(`${round < 0 ? 'warm-up' : `round ${round + 1}`} ${name}: ${r.seconds.toFixed(2)} s (cpu ${r.cpu.toFixed(2)} s), ${(r.bytes / 1e6).toFixed(1)} MB, peak ${(r.peakKb / 1024).toFixed(0)} MB`)
    }
  }
  await recorder.close()
  const stats = (list) => {
    const s = list.map((r) => r.seconds).sort((a, b) => a - b)
    const cpu = list.map((r) => r.cpu)
    return {mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0], max: s.at(-1), cpu: cpu.reduce((a, b) => a + b, 0) / cpu.length, peakMb: Math.max(...list.map((r) => r.peakKb)) / 1024, mb: list[0].bytes / 1e6}
  }
  const summary = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, stats(v)]))
  const rows = Object.entries(summary).map(([k, s]) => `| ${k} | ${s.mean.toFixed(2)} s | ${s.min.toFixed(2)}–${s.max.toFixed(2)} s | ${s.cpu.toFixed(2)} s | ${s.mb.toFixed(0)} MB | ${s.peakMb.toFixed(0)} MB |`)
  const report = [
    `Context: ${FILES} files / ${(BYTES / 1e6).toFixed(0)} MB in ${DIRS} dirs + node_modules ${NM_FILES} files (excluded); scale ${scale}; ${rounds} rounds after a warm-up.`,
    '',
    `Load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${(await import('node:os')).cpus().length} cores.`,
    '',
    '| packer | wall (mean) | wall (range) | CPU user+sys (mean) | sent | peak RSS |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `wall: dk / docker CLI = ${(summary.dk.mean / summary.docker.mean).toFixed(2)}×, dk / GNU tar = ${(summary.dk.mean / summary.tar.mean).toFixed(2)}×`,
    `CPU:  dk / docker CLI = ${(summary.dk.cpu / summary.docker.cpu).toFixed(2)}×, dk / GNU tar = ${(summary.dk.cpu / summary.tar.cpu).toFixed(2)}×   (dk peak RSS ${summary.dk.peakMb.toFixed(0)} MB)`,
  ].join('\n')
  console.log(report)
  mkdirSync(join(repo, 'bench', 'results'), {recursive: true})
  writeFileSync(join(repo, 'bench', 'results', `context-${scale}.md`), `${report}\n`)
  if (!keep) rmSync(dataDir, {recursive: true, force: true})
}

if (args[0] === '--pack') await packToStdout(args[1])
else await main()
