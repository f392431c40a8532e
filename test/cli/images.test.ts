/**
 * The image commands' contract as a user meets it without an engine: help with examples, usage
 * errors (exit 2), an unreachable engine (exit 3) and missing files (exit 4), in text and --json.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {dk} from '../helpers/cli.js'

const NOWHERE = 'unix:///nonexistent/dkt-images.sock'
const work = mkdtempSync(join(tmpdir(), 'dkt-images-cli-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

describe('image commands without an engine', () => {
  it.each(['build', 'images', 'inspect', 'rmi', 'tag', 'history', 'save', 'load'])('%s --help shows usage and examples', async (command) => {
    const result = await dk([command, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('USAGE')
    expect(result.stdout).toContain('EXAMPLES')
    expect(result.stdout).toContain('--host')
  })

  it('exits 3 naming the engine address when none answers', async () => {
    for (const args of [['images'], ['inspect', 'busybox'], ['save', '-o', join(work, 'x.tar'), 'busybox']]) {
      const result = await dk([...args, '-H', NOWHERE, '--json'])
      expect(result.code).toBe(3)
      expect(result.json).toMatchObject({ok: false, exitCode: 3, error: {code: 'ENGINE_UNREACHABLE'}})
      expect(result.json.error.message).toContain(NOWHERE)
    }
  })

  it('says a missing archive (exit 4) before an engine that is down, as docker load does', async () => {
    const result = await dk(['load', '-i', join(work, 'nope.tar'), '-H', NOWHERE, '--json'])
    expect(result.code).toBe(4)
    expect(result.json.error.message).toBe(`Archive not found: ${join(work, 'nope.tar')}`)
  })

  it('refuses bad input with exit 2 and a hint', async () => {
    const missingArg = await dk(['tag', 'busybox'])
    expect(missingArg.code).toBe(2)
    const badArg = await dk(['build', '--build-arg', '=oops', '-H', NOWHERE])
    expect(badArg.code).toBe(2)
    expect(badArg.stderr).toContain('Invalid --build-arg "=oops"')
    const badFlag = await dk(['images', '--digets'])
    expect(badFlag.code).toBe(2)
    const jsonToStdout = await dk(['save', '--json', 'busybox'])
    expect(jsonToStdout.code).toBe(2)
    expect(jsonToStdout.json.error.message).toContain('--json needs -o FILE')
  })
})
