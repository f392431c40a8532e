import {oclifCommand} from '../src/cli/base-command.js'
import {build} from '../src/cli/commands/build.js'

// The definition (help, flags, body) is src/cli/commands/build.ts, shared with the fast path.
export default oclifCommand(build)
