import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {allExercises, findExercise, loadDefinition, parseMetaObject, parseYaml} from '../../../src/exercises/catalog.js'
import {parseExpectation} from '../../../src/exercises/devcheck.js'

const good = {id: 3, slug: 'first-dockerfile', title: 'T', minutes: 10, requires: [2], images: [], hints: ['a', 'b', 'c']}

describe('exercise.yaml validation', () => {
  it('accepts a complete entry and fills defaults', () => {
    const meta = parseMetaObject(good, '03-first-dockerfile', '/x')
    expect(meta).toMatchObject({id: 3, folder: '03-first-dockerfile', provides: {images: [], containers: []}})
  })

  it.each([
    [{...good, id: 4}, /does not match the folder number/],
    [{...good, slug: 'other'}, /slug must be "first-dockerfile"/],
    [{...good, hints: ['a', 'b']}, /exactly three levels/],
    [{...good, requires: [3]}, /earlier exercises/],
    [{...good, minutes: 0}, /minutes/],
    [{...good, images: 'busybox'}, /images must be a list/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseMetaObject(raw, '03-first-dockerfile', '/x')).toThrow(message)
  })
})

describe('the shipped exercises 01–04', () => {
  it('are found by number, zero-padded number and slug', async () => {
    expect((await findExercise('3')).slug).toBe('first-dockerfile')
    expect((await findExercise('03')).id).toBe(3)
    expect((await findExercise('entrypoint')).id).toBe(4)
    await expect(findExercise('99')).rejects.toMatchObject({exitCode: 2})
  })

  for (const id of [1, 2, 3, 4]) {
    it(`exercise ${id}: README sections, three hints, ≥2 wrong attempts naming real checks and actions`, async () => {
      const meta = await findExercise(String(id))
      const readme = await readFile(join(meta.root, 'README.md'), 'utf8')
      for (const section of ['## The idea', '## Your task', '## What verify checks']) expect(readme).toContain(section)
      expect(meta.hints.every((h) => h.trim().length > 10)).toBe(true)
      const def = await loadDefinition(meta)
      const ids = def.checks.map((c) => c.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const check of def.checks) for (const dep of check.dependsOn ?? []) expect(ids.indexOf(dep)).toBeLessThan(ids.indexOf(check.id))
      for (const fast of def.fast ?? []) expect(ids).toContain(fast)
      const attempts = (await readdir(join(meta.root, 'test'))).filter((n) => n.startsWith('wrong-'))
      expect(attempts.length).toBeGreaterThanOrEqual(2)
      for (const attempt of attempts) {
        const file = join(meta.root, 'test', attempt, 'expect.yaml')
        const expected = parseExpectation(parseYaml(await readFile(file, 'utf8'), file), file)
        expect(ids).toContain(expected.check)
        if (expected.action) expect(Object.keys(def.actions ?? {})).toContain(expected.action)
      }
    })
  }

  it('requires only earlier exercises that exist', async () => {
    const all = await allExercises()
    for (const meta of all) for (const r of meta.requires) expect(all.map((m) => m.id)).toContain(r)
  })
})
