import {describe, expect, it} from 'vitest'

import {dk} from '../helpers/cli.js'

describe('dk as a user meets it', () => {
  it('--version prints oclif\'s version line and exits 0', async () => {
    const r = await dk(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^dk\/\d+\.\d+\.\d+ \S+ node-v\d+/)
  })

  it('--help lists every command with a one-line summary', async () => {
    const r = await dk(['--help'])
    expect(r.code).toBe(0)
    for (const id of ['doctor', 'setup']) expect(r.stdout).toMatch(new RegExp(`^\\s+${id}\\s+\\S`, 'm'))
  })

  it('help <command> shows examples', async () => {
    const r = await dk(['help', 'setup'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('EXAMPLES')
    expect(r.stdout).toContain('dk setup --debian')
  })

  it('an unknown flag exits 2 with a suggestion', async () => {
    const r = await dk(['doctor', '--jsn'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Nonexistent flag: --jsn')
    expect(r.stderr).toContain('Did you mean --json?')
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('an unknown flag in --json mode still exits 2, with the envelope', async () => {
    const r = await dk(['doctor', '--json', '--nope'])
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ok: false, command: 'doctor', exitCode: 2, error: {code: 'USAGE'}})
  })

  it('an unknown command exits 2 and suggests the closest', async () => {
    const r = await dk(['doctr'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Did you mean `dk doctor`?')
  })

  it('engine down (unix socket): doctor --json exits 3 naming the socket', async () => {
    const r = await dk(['doctor', '--json'], {env: {DOCKER_HOST: 'unix:///nonexistent.sock'}})
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({ok: false, exitCode: 3, error: {code: 'ENGINE_UNREACHABLE'}})
    expect(r.json.error.message).toContain('unix:///nonexistent.sock')
    expect(r.json.error.hint).toBeTruthy()
  })

  it('engine down (tcp): doctor exits 3 naming the address, no stack trace', async () => {
    const r = await dk(['doctor'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1'}})
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('tcp://127.0.0.1:1')
    expect(r.stderr).toContain('refused')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('--host wins over DOCKER_HOST', async () => {
    const r = await dk(['doctor', '--json', '--host', 'unix:///also-missing.sock'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1'}})
    expect(r.code).toBe(3)
    expect(r.json.error.message).toContain('/also-missing.sock')
  })

  it('a malformed DOCKER_HOST is a usage error (2)', async () => {
    const r = await dk(['doctor', '--json'], {env: {DOCKER_HOST: 'ftp://x'}})
    expect(r.code).toBe(2)
    expect(r.json.error.message).toContain('ftp://x')
  })

  it('DEBUG shows the stack of an unexpected error only when set', async () => {
    const quiet = await dk(['doctor'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1'}})
    const loud = await dk(['doctor'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1', DEBUG: 'dk'}})
    expect(quiet.stderr).not.toMatch(/\n\s+at /)
    expect(loud.stderr).toMatch(/\n\s+at /)
  })

  it('colour: none on a pipe, even without NO_COLOR; FORCE_COLOR turns it on', async () => {
    const plain = await dk(['doctor'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1', NO_COLOR: undefined}})
    expect(plain.stderr).not.toContain('\u001B[')
    const forced = await dk(['doctor'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1', NO_COLOR: undefined, FORCE_COLOR: '1'}})
    expect(forced.stderr).toContain('\u001B[')
  })
})
