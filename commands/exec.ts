import {DkCommand} from '../src/cli/base-command.js'
import {helpFlags} from '../src/cli/docker-help-flags.js'
import {connectEngine} from '../src/engine/connect.js'
import {execForeground} from '../src/engine/exec-attach.js'
import {EXEC_FLAGS, parseExecArgs} from '../src/engine/exec-spec.js'
import {runArgsWantJson} from '../src/engine/run-spec.js'

export default class Exec extends DkCommand {
  static summary = 'Run a command in a running container; dk exits with its exit code'
  static description = `Options go before the container; words after it are the command, so \`dk exec web ls -l\` passes -l to ls.

Exit codes: the command's own exit code (126 when the engine cannot start it, e.g. not found or not executable, exactly as docker exec); 1 the container is not running; 2 bad flags; 4 no such container; 3 engine unreachable. With --json the command's output goes to stderr and the envelope carries the exit code.`

  static strict = false
  static usage = 'exec [OPTIONS] CONTAINER COMMAND [ARG...]'
  // For --help only: dk parses these itself with Docker's grammar (options stop at the first word).
  static flags = helpFlags(EXEC_FLAGS)

  static examples = [
    {description: 'A shell inside web', command: '<%= config.bin %> exec -it web sh'},
    {description: 'One command as the app user, in /tmp', command: '<%= config.bin %> exec -u app -w /tmp web id'},
    {description: 'Feed a file to a command', command: '<%= config.bin %> exec -i web sh -c "cat > /tmp/x" < x'},
  ]

  jsonEnabled(): boolean {
    return runArgsWantJson(this.argv, EXEC_FLAGS)
  }

  async run(): Promise<{container: string; exitCode: number; detached: boolean}> {
    this.parsed = true
    const {spec, host} = parseExecArgs(this.argv)
    const json = this.jsonEnabled()
    const engine = await connectEngine({host})
    const {exitCode} = await execForeground(engine, spec, {stdin: process.stdin, stdout: json ? process.stderr : process.stdout, stderr: process.stderr})
    if (exitCode !== 0) this.failWith(exitCode)
    return {container: spec.container, exitCode, detached: spec.detach}
  }
}
