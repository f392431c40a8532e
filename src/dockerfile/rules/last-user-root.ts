import {shippedStages} from '../practice-support.js'
import type {Rule} from '../rule.js'
import {argumentsText} from '../source-text.js'

export const lastUserRoot: Rule = {
  id: 'DK213',
  name: 'last-user-root',
  summary: 'The image\'s last USER is root: the container will run as root',
  severity: 'warning',
  aliases: ['hadolint:DL3002'],
  fixable: false,
  docs: {
    why:
      'Whatever USER is in effect at the end of the final stage is who your container runs as. Switching to root for an ' +
      'install and forgetting to switch back means your web server runs as root, and a bug in it becomes root in the container. ' +
      'Finish with an unprivileged user. Only the stages that end up in the image are checked: build stages may stay root.',
    bad: 'FROM busybox:latest\nUSER app\nUSER root\nRUN mkdir /data\nCMD ["httpd", "-f"]',
    good: 'FROM busybox:latest\nUSER root\nRUN mkdir /data\nUSER app\nCMD ["httpd", "-f"]',
  },
  check({model, report}) {
    // The final stage first, then what it is built from: the first USER found is the last in effect.
    for (const stage of shippedStages(model)) {
      let k = stage.instructions.length - 1
      while (k >= 0 && stage.instructions[k].getKeyword() !== 'USER') k--
      if (k < 0) continue
      const last = stage.instructions[k]
      const user = argumentsText(model, last)?.text.trim() ?? ''
      const colon = user.indexOf(':')
      const name = colon === -1 ? user : user.slice(0, colon)
      if (name === 'root' || name === '0') {
        report({
          range: last.getArgumentsRange() ?? last.getRange(),
          message: `The last USER of the image is ${user}: the container runs as root; switch to an unprivileged user at the end`,
        })
      }
      return
    }
  },
}
