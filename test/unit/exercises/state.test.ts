import {mkdtemp, readFile, readdir, writeFile, mkdir} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {emptyState, loadOrCreateState, nextExercise, parseState, readState, saveState, stateFile, statusOf, updateState} from '../../../src/exercises/state.js'

const tempDir = () => mkdtemp(join(tmpdir(), 'dk-unit-state-'))

describe('workshop state', () => {
  it('creates .dk/state.json with a token and a do-not-edit header, and reads it back', async () => {
    const dir = await tempDir()
    expect(await readState(dir)).toBeUndefined()
    const created = await loadOrCreateState(dir)
    expect(created.token).toMatch(/^dk-[0-9a-f]{8}$/)
    const text = await readFile(stateFile(dir), 'utf8')
    expect(JSON.parse(text)._comment).toMatch(/do not edit/i)
    expect((await loadOrCreateState(dir)).token).toBe(created.token)
  })

  it('writes atomically: no temp files left next to the state', async () => {
    const dir = await tempDir()
    for (let i = 0; i < 5; i++) await updateState(dir, (s) => void (s.current = i))
    expect(await readdir(join(dir, '.dk'))).toEqual(['state.json'])
    expect((await readState(dir))?.current).toBe(4)
  })

  it('says where a damaged file is and what to do', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, '.dk'))
    await writeFile(stateFile(dir), '{"token": "x",')
    await expect(readState(dir)).rejects.toMatchObject({code: 'STATE_DAMAGED', location: stateFile(dir)})
    expect(() => parseState('{"hello": 1}', 'f.json')).toThrow(/not dk's state/)
  })

  it('refuses a state written by a newer dk', () => {
    expect(() => parseState(JSON.stringify({...emptyState('dk-1'), version: 99}), 'f.json')).toThrow(/newer dk/)
  })

  it('status: skipped wins over done; next is the first todo', async () => {
    expect(statusOf({attempts: 0})).toBe('todo')
    expect(statusOf({attempts: 1, passedAt: 'x'})).toBe('done')
    expect(statusOf({attempts: 1, passedAt: 'x', skippedAt: 'y'})).toBe('skipped')
    const state = emptyState('dk-1')
    state.exercises['1'] = {attempts: 1, passedAt: 'x'}
    state.exercises['2'] = {attempts: 0, skippedAt: 'y'}
    expect(nextExercise([1, 2, 3, 4], state)).toBe(3)
    expect(nextExercise([1, 2], state)).toBeUndefined()
    const dir = await tempDir()
    await saveState(dir, state)
    expect((await readState(dir))?.exercises['2'].skippedAt).toBe('y')
  })
})
