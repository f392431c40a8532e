/**
 * What an attendee makes with `dk build` or `dk run` inside an exercise folder of a workshop
 * (`WORKSHOP/NN-slug/…`, WORKSHOP holding `.dk/state.json`) carries that workshop's and exercise's
 * labels, plus the tag or name it was given, so `dk exercise reset N` removes it together with what
 * dk's checks made, and nothing else. Outside a workshop this adds no label.
 */
import {existsSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'

import {Label, OwnLabel} from '../engine/labels.js'
import {exercisesRoot} from './catalog.js'

const FOLDER = /^(\d{2})-[a-z0-9][a-z0-9-]*$/

export function attendeeLabels(dir: string, own: {image?: string; container?: string} = {}): Record<string, string> {
  const start = resolve(dir)
  for (let workshop = start; ; workshop = dirname(workshop)) {
    if (workshop !== start && existsSync(join(workshop, '.dk', 'state.json'))) {
      const folder = relative(workshop, start).split(sep)[0]
      const match = FOLDER.exec(folder)
      if (!match || !existsSync(join(exercisesRoot(), folder))) return {}
      const labels: Record<string, string> = {[Label.workshop]: workshop, [Label.exercise]: String(Number(match[1]))}
      if (own.image) labels[OwnLabel.image] = withTag(own.image)
      if (own.container) labels[OwnLabel.container] = own.container
      return labels
    }
    if (dirname(workshop) === workshop) return {}
  }
}

/** "memcached" → "memcached:latest", as the engine lists RepoTags. */
function withTag(ref: string): string {
  return ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref : `${ref}:latest`
}
