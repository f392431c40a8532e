import {Args} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {connectEngine} from '../src/engine/connect.js'
import {joinHostPort, portLine, publishedPorts, type PublishedPort} from '../src/engine/containers.js'
import {selectPort} from '../src/engine/port-query.js'

export default class Port extends DkCommand {
  static summary = 'List port mappings of a container, or where one port is published (as `docker port`)'
  static description = `Without PORT, one line per mapping: "8080/tcp -> 0.0.0.0:32768". With PORT[/PROTO] (tcp by default), one "HOST_IP:HOST_PORT" line per binding. The output is identical to \`docker port\`.

Exit codes: 0 listed; 1 the port is not published; 2 invalid port; 4 no such container; 3 engine unreachable.`

  static examples = [
    {description: 'Every published port of web', command: '<%= config.bin %> port web'},
    {description: 'Where container port 8080/tcp is published', command: '<%= config.bin %> port web 8080'},
    {description: 'The first host port, for a script', command: 'curl "http://$(<%= config.bin %> port web 8080 | head -1)/"'},
  ]

  static args = {
    container: Args.string({ignoreStdin: true, description: 'Container name or id', required: true}),
    port: Args.string({ignoreStdin: true, description: 'Container port, PORT[/PROTO] (tcp when omitted)'}),
  }

  static flags = {...engineFlags}

  async run(): Promise<PublishedPort[]> {
    const {args, flags} = await this.parse(Port)
    const engine = await connectEngine({host: flags.host})
    const all = await publishedPorts(engine, args.container)
    if (args.port === undefined) {
      for (const p of all) this.say(portLine(p))
      return all
    }
    const chosen = selectPort(all, args.port, args.container)
    for (const p of chosen) this.say(joinHostPort(p.hostIp, p.hostPort))
    return chosen
  }
}
