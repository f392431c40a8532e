import {DkCommand} from '../src/cli/base-command.js'
import {helpFlags} from '../src/cli/docker-help-flags.js'
import {err} from '../src/cli/output.js'
import {runForeground} from '../src/engine/attach.js'
import {connectEngine} from '../src/engine/connect.js'
import {createAndStart, portLine, publishedPorts, type PublishedPort} from '../src/engine/containers.js'
import {RUN_FLAGS, parseRunArgs, runArgsWantJson} from '../src/engine/run-spec.js'
import {attendeeLabels} from '../src/exercises/attendee-labels.js'

export interface RunData {
  id: string
  name: string
  detached: boolean
  /** Foreground only: the container's exit code (also dk's). */
  exitCode?: number
  /** Detached with -p/-P: where the ports are published. */
  ports?: PublishedPort[]
}

export default class Run extends DkCommand {
  static summary = 'Run a command in a new container (Docker\'s `docker run` flags and grammar)'
  static description = `Options go before the image; everything after it is the container's command, so \`dk run busybox ls -l\` passes -l to ls. dk never pulls: the image must be here (\`dk setup\`, \`dk build\`, \`dk load\`).

Foreground: the container's stdout/stderr are attached (stdin with -i, a terminal with -t), Ctrl-C and other signals are forwarded to it, and dk exits with its exit code. Detached (-d): prints the container id on stdout and, with -p/-P, the published ports on stderr.

Exit codes: the container's own code in the foreground; 0 when started detached; 2 bad flags; 3 engine unreachable; 4 image, link target or bind source not found; 1 other failures (name in use, port taken, link target stopped); 126/127 the command cannot be run / was not found in the image (as docker run); 130 gave up after three Ctrl-C.

To pass --help to the container's command, end dk's options with --: \`dk run -- busybox ls --help\`.`

  static strict = false
  static usage = 'run [OPTIONS] IMAGE [COMMAND] [ARG...]'
  // For --help only: dk parses these itself with Docker's grammar (options stop at the first word).
  static flags = helpFlags(RUN_FLAGS)

  static examples = [
    {description: 'A one-off command, removed afterwards', command: '<%= config.bin %> run --rm busybox echo hello'},
    {description: 'A web server in the background on a random host port', command: '<%= config.bin %> run -d -P --expose 8080 --name web busybox httpd -f -p 8080'},
    {description: 'Publish container port 8080 on 127.0.0.1:8000', command: '<%= config.bin %> run -d -p 127.0.0.1:8000:8080 busybox httpd -f -p 8080'},
    {description: 'Link to the db container, known as "db" inside', command: '<%= config.bin %> run --rm --link db:db busybox env'},
    {description: 'An interactive shell', command: '<%= config.bin %> run -it --rm busybox sh'},
    {description: 'Config from a file and a named volume', command: '<%= config.bin %> run --rm --env-file app.env -v data:/data busybox ls /data'},
  ]

  jsonEnabled(): boolean {
    // Only a --json among dk's options counts; one in the container's command belongs to the container.
    return runArgsWantJson(this.argv)
  }

  async run(): Promise<RunData> {
    this.parsed = true
    const {spec, host} = parseRunArgs(this.argv)
    // Run inside a workshop exercise folder, the container belongs to that exercise (`dk exercise reset`).
    if (spec.name) spec.labels = {...attendeeLabels(process.cwd(), {container: spec.name}), ...spec.labels}
    const json = this.jsonEnabled()
    const engine = await connectEngine({host})

    if (spec.detach) {
      const {id, name} = await createAndStart(engine, spec)
      this.say(id)
      let ports: PublishedPort[] | undefined
      if (spec.ports?.length || spec.publishAll) {
        ports = await publishedPorts(engine, id)
        if (!json) for (const p of ports) process.stderr.write(`${err().dim(portLine(p))}\n`)
      }
      return {id, name, detached: true, ports}
    }

    // In --json mode the container's output goes to stderr so that stdout holds only the envelope.
    const result = await runForeground(engine, spec, {
      stdin: process.stdin,
      stdout: json ? process.stderr : process.stdout,
      stderr: process.stderr,
    })
    if (result.exitCode !== 0) this.failWith(result.exitCode)
    return {id: result.id, name: result.name, detached: false, exitCode: result.exitCode}
  }
}
