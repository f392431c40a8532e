import {Args, Flags} from '@oclif/core'

import {DkCommand} from '../src/cli/base-command.js'
import {UsageError} from '../src/cli/errors.js'
import {out, symbols, table} from '../src/cli/output.js'
import type {InitResult, TemplateInfo} from '../src/twelve/templates.js'

export default class Init extends DkCommand {
  static summary = 'Start a project from a template that builds offline and passes dk lint and dk twelve-factor'

  static description = `Templates (dk init --list): memcached (the workshop's example, on debian:bookworm), static-site (busybox httpd), twelve-factor-web (an HTTP app that reads PORT and config from the environment, logs to stdout and handles SIGTERM), onbuild-base (a team base image with ONBUILD).
DIR defaults to ./TEMPLATE. An existing non-empty DIR is refused unless --force, which writes the template's files into it and replaces files with the same names. Files are written atomically.`

  static examples = [
    {description: 'See the templates', command: '<%= config.bin %> init --list'},
    {description: 'A twelve-factor web app in ./web', command: '<%= config.bin %> init twelve-factor-web web'},
    {description: 'Then check it', command: '<%= config.bin %> twelve-factor web --run'},
  ]

  static args = {
    template: Args.string({ignoreStdin: true, description: 'Template name (see --list)'}),
    dir: Args.string({ignoreStdin: true, description: 'Folder to create; default ./TEMPLATE'}),
  }

  static flags = {
    list: Flags.boolean({char: 'l', description: 'List the templates', default: false}),
    force: Flags.boolean({description: 'Write into an existing non-empty DIR (files with the same names are replaced)', default: false}),
  }

  async run(): Promise<{templates: Omit<TemplateInfo, 'path'>[]} | InitResult> {
    const {args, flags} = await this.parse(Init)
    const {initProject, listTemplates} = await import('../src/twelve/templates.js')
    if (flags.list || !args.template) {
      const templates = await listTemplates()
      if (!flags.list) {
        throw new UsageError('Which template?', {hint: `Run \`dk init TEMPLATE [DIR]\` with one of: ${templates.map((t) => t.name).join(', ')} (details: \`dk init --list\`).`})
      }
      this.say(table(['TEMPLATE', 'BASE IMAGE', 'DESCRIPTION'], templates.map((t) => [t.name, t.base, t.description])))
      return {templates: templates.map(({path: _path, ...t}) => t)}
    }
    const result = await initProject({template: args.template, dir: args.dir, force: flags.force})
    const c = out()
    this.say(`${c.green(symbols().ok)} Created ${result.dir} from the ${result.template} template (${result.files.length} files${result.overwritten.length ? `, ${result.overwritten.length} replaced` : ''}).`)
    this.say('')
    this.say('Next:')
    for (const step of result.next) this.say(`  ${step}`)
    return result
  }
}
