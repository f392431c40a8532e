import {describe, expect, it} from 'vitest'

import {findManifests} from '../../../src/twelve/manifests.js'

const verdicts = (files: string[], texts: Record<string, string> = {}) =>
  findManifests(new Set(files), (name) => texts[name]).map((v) => ({name: v.ecosystem.name, lock: v.lock, selfLocked: v.selfLocked}))

describe('findManifests', () => {
  it('pairs each manifest with its lock file', () => {
    expect(verdicts(['package.json', 'yarn.lock', 'Gemfile', 'Gemfile.lock', 'composer.json'])).toEqual([
      {name: 'npm', lock: 'yarn.lock', selfLocked: false},
      {name: 'composer', lock: undefined, selfLocked: false},
      {name: 'bundler', lock: 'Gemfile.lock', selfLocked: false},
    ])
  })

  it('accepts a requirements.txt that pins every line, not one with ranges', () => {
    expect(verdicts(['requirements.txt'], {'requirements.txt': '# deps\nflask==3.0.0\n-r base.txt\ngunicorn==22.0\n'})[0].selfLocked).toBe(true)
    expect(verdicts(['requirements.txt'], {'requirements.txt': 'flask>=3\n'})[0].selfLocked).toBe(false)
  })

  it('treats requirements.txt beside pyproject.toml as its lock', () => {
    expect(verdicts(['pyproject.toml', 'requirements.txt'])).toEqual([{name: 'python (pyproject)', lock: 'requirements.txt', selfLocked: false}])
  })

  it('a go module without requirements needs no go.sum', () => {
    expect(verdicts(['go.mod'], {'go.mod': 'module x\n\ngo 1.22\n'})[0].selfLocked).toBe(true)
    expect(verdicts(['go.mod'], {'go.mod': 'module x\n\nrequire github.com/a/b v1.0.0\n'})[0].selfLocked).toBe(false)
  })

  it('no manifest, no verdict', () => expect(verdicts(['Dockerfile', 'README.md'])).toEqual([]))
})
