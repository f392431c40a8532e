#!/usr/bin/env node
// The installed entry point: runs the compiled commands in dist/.
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && argv[0] === '--version') {
  // The one call scripts make on every run: answer it without loading oclif (~100 ms saved),
  // in oclif's own format.
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`dk/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
  // Exit explicitly, so an idle keep-alive socket to the engine cannot keep the process alive,
  // but only after stdout and stderr have flushed: a pipe may still hold the end of a tar.
  await new Promise((resolve) => process.stdout.write('', resolve))
  await new Promise((resolve) => process.stderr.write('', resolve))
  process.exit(process.exitCode ?? 0)
}
