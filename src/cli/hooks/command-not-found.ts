/**
 * `dk doctr` → "Unknown command doctr. Did you mean doctor?" and exit 2 (usage), instead of oclif's
 * bare "command not found".
 */
import type {Hook} from '@oclif/core'

import {err, symbols} from '../output.js'
import {closest} from '../suggest.js'

const hook: Hook<'command_not_found'> = async function (options) {
  const ids = options.config.commandIDs.map((id) => id.replaceAll(':', ' '))
  const typed = options.id.replaceAll(':', ' ')
  const guess = closest(typed, ids)
  const c = err()
  process.stderr.write(`${c.red(symbols().fail)} Unknown command: dk ${typed}\n`)
  process.stderr.write(`  ${c.dim('hint:')} ${guess ? `Did you mean \`dk ${guess}\`? ` : ''}Run \`dk --help\` for the list of commands.\n`)
  process.exitCode = 2
  // oclif has no other way to stop here without printing its own message.
  process.exit(2)
}

export default hook
