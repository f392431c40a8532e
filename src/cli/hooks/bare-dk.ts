/**
 * `dk` with no arguments opens the workshop menu (`dk exercise menu`). oclif 4 shows the root help
 * for an empty command line in a multi-command CLI (main.js `helpAddition`), before any command is
 * looked up, and neither `commands/index.ts` nor a default-command setting changes that; the init
 * hook runs before that decision. `dk --help` still lists every command.
 */
import type {Hook} from '@oclif/core'

import {prepareColors} from '../output.js'

const hook: Hook<'init'> = async function (options) {
  // Every oclif command line passes here first: the place to load chalk when colour is on (output.ts).
  await prepareColors()
  if (options.id !== undefined || options.argv.length > 0 || process.argv.length > 2) return
  await options.config.runCommand('exercise:menu', [])
  // Nothing else may run after the menu: oclif would go on to print the root help.
  process.exit(process.exitCode ?? 0)
}

export default hook
