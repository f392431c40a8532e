import {shippedStages} from '../practice-support.js'
import type {Rule} from '../rule.js'

export const deisCmdRequired: Rule = {
  id: 'DK303',
  name: 'deis-cmd-required',
  summary: 'Deis: the image must have a default command (CMD)',
  severity: 'warning',
  aliases: [],
  fixable: false,
  docs: {
    why:
      'Deis starts your container without a command line of its own: whatever CMD the image declares is your web process. ' +
      'Without one the container runs the base image\'s default (often a shell that exits at once) and the app "crashes" ' +
      'on every deploy. Declare the process in the Dockerfile. dk accepts a CMD or an ENTRYPOINT in the final stage or the ' +
      'stages it is built from; it cannot see a CMD inherited from the base image, so say it explicitly. ' +
      'A warning by default; an error with `--profile deis`.',
    bad: 'FROM busybox:latest\nCOPY www /www\nEXPOSE 80',
    good: 'FROM busybox:latest\nCOPY www /www\nEXPOSE 80\nCMD ["httpd", "-f", "-p", "80", "-h", "/www"]',
  },
  check({model, options, report}) {
    const final = model.finalStage
    if (!final) return
    const hasCommand = shippedStages(model).some((s) => s.instructions.some((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT'))
    if (hasCommand) return
    report({
      range: final.from.getInstructionRange(),
      message: 'The image declares no CMD: Deis runs the image\'s default command as your app, add CMD ["executable", "arg", …]',
      severity: options.profile === 'deis' ? 'error' : undefined,
    })
  },
}
