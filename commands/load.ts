import {oclifCommand} from '../src/cli/base-command.js'
import {load} from '../src/cli/commands/load.js'

// The definition (help, flags, body) is src/cli/commands/load.ts, shared with the fast path.
export default oclifCommand(load)
