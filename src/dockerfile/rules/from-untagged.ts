
import type {Rule, Stage} from '../rule.js'

/** The image reference of a FROM split into name, tag and digest (registry ports are not tags). */
export function imageParts(image: string): {name: string; tag?: string; digest?: string} {
  const at = image.indexOf('@')
  const digest = at < 0 ? undefined : image.slice(at + 1)
  const ref = at < 0 ? image : image.slice(0, at)
  const colon = ref.lastIndexOf(':')
  if (colon > ref.lastIndexOf('/')) return {name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest}
  return {name: ref, digest}
}

/** FROMs that name a real base image: not scratch, not an earlier stage, not a `$VAR`. */
export function externalBases(stages: Stage[]): Stage[] {
  return stages.filter((s) => s.baseStage === undefined && s.image !== '' && !s.image.includes('$') && s.image.toLowerCase() !== 'scratch')
}

export const fromUntagged: Rule = {
  id: 'DK202',
  name: 'from-untagged',
  summary: 'FROM image without a tag: pin the version you tested with',
  severity: 'warning',
  aliases: ['hadolint:DL3006', 'dockerfilelint:missing_tag'],
  fixable: false,
  docs: {
    why:
      'Without a tag Docker uses `:latest`, which moves whenever the publisher pushes. The Dockerfile that built ' +
      'yesterday may build something different (or fail) tomorrow, and two teammates get different images from the same file. ' +
      'Name the version you tested with; a digest (`@sha256:…`) pins it exactly.',
    bad: 'FROM ubuntu\nRUN apt-get update && apt-get install -y memcached',
    good: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y memcached',
  },
  check({model, report}) {
    for (const stage of externalBases(model.stages)) {
      const parts = imageParts(stage.image)
      if (parts.tag !== undefined || parts.digest !== undefined) continue
      report({
        range: stage.from.getImageRange() ?? stage.from.getRange(),
        message: `FROM ${stage.image} has no tag, so it means ${stage.image}:latest: pin a version (${stage.image}:<version>)`,
      })
    }
  },
}
