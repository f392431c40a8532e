#!/usr/bin/env node
// The installed entry point: runs the compiled commands in dist/.
import {readFileSync} from 'node:fs'

// The commands the fast path can run without loading oclif (dist/src/cli/fast-path.js explains
// it). Listed here too, so that every other command pays nothing for it.
const FAST_COMMANDS = new Set(['build', 'lint', 'load', 'save'])

const argv = process.argv.slice(2)
const version = () => JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
if (argv.length === 1 && argv[0] === '--version') {
  // The one call scripts make on every run: answer it without loading oclif (~100 ms saved),
  // in oclif's own format.
  process.stdout.write(`dk/${version()} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  let done = false
  if (FAST_COMMANDS.has(argv[0])) {
    const {runFastPath} = await import('../dist/src/cli/fast-path.js')
    done = await runFastPath(argv, {version})
  }
  if (!done) {
    const {execute} = await import('@oclif/core')
    await execute({dir: import.meta.url})
  }
  // Exit explicitly, so an idle keep-alive socket to the engine cannot keep the process alive,
  // but only after stdout and stderr have flushed: a pipe may still hold the end of a tar.
  await new Promise((resolve) => process.stdout.write('', resolve))
  await new Promise((resolve) => process.stderr.write('', resolve))
  process.exit(process.exitCode ?? 0)
}
