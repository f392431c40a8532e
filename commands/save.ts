import {oclifCommand} from '../src/cli/base-command.js'
import {save} from '../src/cli/commands/save.js'

// The definition (help, flags, body) is src/cli/commands/save.ts, shared with the fast path.
export default oclifCommand(save)
