import type {Instruction} from '../syntax.js'

import type {Rule} from '../rule.js'
import {externalBases, imageParts} from './from-untagged.js'

export const fromLatest: Rule = {
  id: 'DK203',
  name: 'from-latest',
  summary: 'FROM …:latest: pin the version you tested with',
  severity: 'warning',
  aliases: ['hadolint:DL3007', 'dockerfilelint:latest_tag'],
  fixable: false,
  docs: {
    why:
      '`latest` is not "the newest release", it is whatever was pushed last under that name, and it changes under your feet. ' +
      'A build that worked in the workshop can break next month. Write the version you tested with.',
    bad: 'FROM debian:latest',
    good: 'FROM debian:bookworm',
  },
  check({model, report}) {
    for (const stage of externalBases(model.stages)) {
      const parts = imageParts(stage.image)
      if (parts.tag !== 'latest' || parts.digest !== undefined) continue
      const from = stage.from as Instruction
      report({
        range: from.getImageTagRange() ?? from.getImageRange() ?? from.getRange(),
        message: `FROM ${stage.image} uses the moving 'latest' tag: pin the version you tested with`,
      })
    }
  },
}
