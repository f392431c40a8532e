import {Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {connectEngine} from '../src/engine/connect.js'
import {displayablePorts, psTable, truncateId} from '../src/engine/container-format.js'
import {type ContainerSummary, listContainers, parseFilters} from '../src/engine/containers.js'

export interface PsEntry extends ContainerSummary {
  /** The PORTS column as docker ps shows it. */
  portsText: string
  /** ISO time of creation. */
  createdAt: string
}

export default class Ps extends DkCommand {
  static summary = 'List containers (the same table as `docker ps`)'
  static description = `Columns: CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES, as \`docker ps\` prints them. Link names (app/db) appear in NAMES with --no-trunc, as in Docker.

Exit codes: 0 listed; 3 engine unreachable.`

  static examples = [
    {description: 'Running containers', command: '<%= config.bin %> ps'},
    {description: 'All containers, stopped ones too, full ids and link names', command: '<%= config.bin %> ps -a --no-trunc'},
    {description: 'Just the ids (for scripts)', command: '<%= config.bin %> ps -aq'},
    {description: 'Machine-readable', command: '<%= config.bin %> ps -a --json'},
    {description: 'Only what dk made', command: '<%= config.bin %> ps -a --filter label=io.dk.managed=true'},
  ]

  static flags = {
    all: Flags.boolean({char: 'a', description: 'Show all containers (default shows just running)'}),
    quiet: Flags.boolean({char: 'q', description: 'Only display container IDs'}),
    'no-trunc': Flags.boolean({description: 'Don\'t truncate output'}),
    filter: Flags.string({char: 'f', multiple: true, description: 'Filter like docker ps: label=KEY[=VALUE], name=NAME, status=exited, ancestor=IMAGE…'}),
    ...engineFlags,
  }

  async run(): Promise<PsEntry[]> {
    const {flags} = await this.parse(Ps)
    const filters = parseFilters(flags.filter ?? [])
    const engine = await connectEngine({host: flags.host})
    const containers = await listContainers(engine, {all: flags.all, filters})
    if (flags.quiet) for (const c of containers) this.say(flags['no-trunc'] ? c.id : truncateId(c.id))
    else this.say(psTable(containers, {noTrunc: flags['no-trunc']}))
    return containers.map((c) => ({...c, portsText: displayablePorts(c.ports), createdAt: new Date(c.created * 1000).toISOString()}))
  }
}
