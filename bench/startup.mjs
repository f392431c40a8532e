#!/usr/bin/env node
// Start-up cost of dk: `dk --version`, `dk --help` and `dk lint` of a small file (also through
// oclif, without the fast path) against a bare `node -e 0`, in one run on the same machine, with
// the built CLI and its oclif manifest.
// Prints a table of medians and ratios; `--json` for machines. Not part of the test command.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const runs = Number(process.env.BENCH_RUNS ?? 30)
const json = process.argv.includes('--json')

// `npm run build` compiles and writes oclif.manifest.json, as the packed package ships it.
spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'ignore'})

const dir = mkdtempSync(join(tmpdir(), 'dk-bench-startup-'))
const dockerfile = join(dir, 'Dockerfile')
writeFileSync(dockerfile, 'FROM busybox:1.36\nRUN echo hello\nCMD ["sh"]\n')

const cases = [
  {name: 'node -e 0', argv: ['-e', '0']},
  {name: 'dk --version', argv: [join(root, 'bin/run.js'), '--version']},
  {name: 'dk --help', argv: [join(root, 'bin/run.js'), '--help']},
]
if (existsSync(join(root, 'dist/commands/lint.js'))) {
  cases.push({name: 'dk lint (1 small file)', argv: [join(root, 'bin/run.js'), 'lint', dockerfile]})
  // The same run through oclif, which the fast path (src/cli/fast-path.ts) skips.
  cases.push({name: 'dk lint, DK_NO_FAST_PATH=1', argv: [join(root, 'bin/run.js'), 'lint', dockerfile], env: {DK_NO_FAST_PATH: '1'}})
}

function time(argv, env = {}) {
  const samples = []
  for (let i = 0; i < runs + 3; i++) {
    const start = process.hrtime.bigint()
    spawnSync(process.execPath, argv, {stdio: 'ignore', env: {...process.env, NO_COLOR: '1', ...env}})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (i >= 3) samples.push(ms) // first runs warm the page cache
  }
  samples.sort((a, b) => a - b)
  return {median: samples[Math.floor(samples.length / 2)], min: samples[0]}
}

const results = cases.map((c) => ({name: c.name, ...time(c.argv, c.env)}))
const base = results[0].median
rmSync(dir, {recursive: true, force: true})
if (json) {
  console.log(JSON.stringify({runs, results: results.map((r) => ({...r, ratio: r.median / base}))}, null, 2))
} else {
  console.log(`${runs} runs each, median wall time (min), ratio to node -e 0`)
  for (const r of results) console.log(`${r.name.padEnd(26)} ${r.median.toFixed(0).padStart(5)} ms (${r.min.toFixed(0)})  ${(r.median / base).toFixed(2)}x`)
}
