import {Args, Flags} from '@oclif/core'

import {DkCommand, engineFlags} from '../src/cli/base-command.js'
import {ago, humanSize, out} from '../src/cli/output.js'
import {connectEngine} from '../src/engine/connect.js'
import {type ContainerSummary, type ImageSummary, inspectObject, shortId} from '../src/engine/images.js'

export default class Inspect extends DkCommand {
  static summary = 'Show what an image (or container) is made of'
  static description = `For an image: the configuration a learner looks at first (Cmd, Entrypoint, ExposedPorts, Env, WorkingDir, User, Volumes, OnBuild, Labels) and its layers. For a container: its state, command, ports, links and mounts. As with \`docker inspect\`, a container of that name wins over an image; --type chooses.

--json data: the engine's raw inspect object, exactly as \`docker inspect\` prints it (one object, not an array).

Exit codes: 0 found; 4 no image or container of that name.`

  static examples = [
    {description: 'An image', command: '<%= config.bin %> inspect busybox'},
    {description: 'The raw object, for jq', command: '<%= config.bin %> inspect --json memcached | jq .data.Config.ExposedPorts'},
    {description: 'The image when a container has the same name', command: '<%= config.bin %> inspect --type image web'},
  ]

  static args = {
    name: Args.string({ignoreStdin: true, description: 'Image or container: name or id', required: true}),
  }

  static flags = {
    ...engineFlags,
    type: Flags.string({description: 'Only look for this kind of object', options: ['image', 'container']}),
  }

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(Inspect)
    const engine = await connectEngine({host: flags.host})
    const result = await inspectObject(engine, args.name, flags.type as 'image' | 'container' | undefined)
    if (!this.jsonEnabled()) {
      const lines = result.summary.kind === 'image' ? imageLines(result.summary) : containerLines(result.summary)
      const width = Math.max(...lines.map(([k]) => k.length))
      for (const [key, value] of lines) {
        const [first, ...rest] = value.length ? value : [out().dim('(none)')]
        this.say(`${out().bold(key.padEnd(width))}  ${first}`)
        for (const more of rest) this.say(`${' '.repeat(width)}  ${more}`)
      }
    }
    return result.raw
  }
}

type Lines = Array<[string, string[]]>

const list = (value: string[] | null) => (value === null ? [] : [JSON.stringify(value)])
const pairs = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`)

function imageLines(s: ImageSummary): Lines {
  const created = new Date(s.created)
  return [
    ['Image', [`${s.tags.join(', ') || '<none>'}  ${out().dim(shortId(s.id))}`]],
    ['Created', [`${s.created} (${ago(created)})`]],
    ['Size', [`${humanSize(s.size)}  ${s.os}/${s.architecture}`]],
    ['Cmd', list(s.cmd)],
    ['Entrypoint', list(s.entrypoint)],
    ['ExposedPorts', s.exposedPorts],
    ['Env', s.env],
    ['WorkingDir', s.workingDir ? [s.workingDir] : []],
    ['User', s.user ? [s.user] : [out().dim('(none: root)')]],
    ['Volumes', s.volumes],
    ['OnBuild', s.onBuild],
    ['Labels', pairs(s.labels)],
    [`Layers (${s.layers.length})`, s.layers.map((l) => out().dim(l))],
  ]
}

function containerLines(s: ContainerSummary): Lines {
  const state = s.state.running ? `running since ${s.state.startedAt}` : `${s.state.status}${s.state.status === 'exited' ? ` (exit code ${s.state.exitCode})` : ''}`
  return [
    ['Container', [`${s.name}  ${out().dim(s.id.slice(0, 12))}`]],
    ['Image', [`${s.image}  ${out().dim(shortId(s.imageId))}`]],
    ['State', [state, ...(s.state.error ? [s.state.error] : [])]],
    ['Cmd', list(s.cmd)],
    ['Entrypoint', list(s.entrypoint)],
    ['Ports', s.ports],
    ['Links', s.links],
    ['Networks', Object.entries(s.networks).map(([n, ip]) => `${n}${ip ? ` ${ip}` : ''}`)],
    ['Mounts', s.mounts],
    ['Env', s.env],
    ['WorkingDir', s.workingDir ? [s.workingDir] : []],
    ['User', s.user ? [s.user] : []],
    ['Labels', pairs(s.labels)],
  ]
}
