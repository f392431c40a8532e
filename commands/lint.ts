import {oclifCommand} from '../src/cli/base-command.js'
import {lint} from '../src/cli/commands/lint.js'

// The definition (help, flags, body) is src/cli/commands/lint.ts, shared with the fast path.
export default oclifCommand(lint)
