/**
 * The container commands as a user meets them, without needing an engine: help, usage errors with
 * exit 2 (also in --json), the unreachable-engine exit 3, and --json only among dk's own options.
 */
import {describe, expect, it} from 'vitest'

import {dk} from '../helpers/cli.js'

const NO_ENGINE = {DOCKER_HOST: 'unix:///nonexistent/dk-test.sock'}

describe('dk run: usage', () => {
  it('shows help with the Docker grammar, the flags and examples', async () => {
    const r = await dk(['run', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('dk run [OPTIONS] IMAGE [COMMAND] [ARG...]')
    expect(r.stdout).toMatch(/-p, --publish=<value>\.\.\.\s+Publish a container port/)
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('dk run -- busybox ls --help')
    expect(r.stdout).toContain('run -d -P --expose 8080 --name web')
  })

  it('needs an image (exit 2, before any engine is contacted)', async () => {
    const r = await dk(['run', '-d'], {env: NO_ENGINE})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('"dk run" requires at least 1 argument')
  })

  it.each([
    [['run', '--publish-everything', 'busybox'], 'unknown flag: --publish-everything'],
    [['run', '-p', '80:80/tcpx', 'busybox'], 'Invalid port spec "80:80/tcpx": invalid proto: tcpx.'],
    [['run', '-v', 'data/x:/x', 'busybox'], 'If you intended to pass a host directory, use absolute path'],
    [['run', '--restart', 'sometimes', 'busybox'], 'Invalid restart policy "sometimes".'],
    [['run', '--link', 'a:b:c', 'busybox'], 'Invalid link "a:b:c"'],
    [['exec', 'web'], '"dk exec" requires at least 2 arguments'],
  ])('%j → exit 2 with a plain message', async (args, message) => {
    const r = await dk(args, {env: NO_ENGINE})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.stderr).toContain('hint:')
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/)
  })

  it('keeps exit 2 and the error in the --json envelope', async () => {
    const r = await dk(['run', '--json', '-p', 'abc', 'busybox'], {env: NO_ENGINE})
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ok: false, command: 'run', exitCode: 2, error: {code: 'USAGE', message: 'Invalid port spec "abc": invalid containerPort: abc.'}})
  })

  it('treats --json after the image as the container\'s argument, not dk\'s', async () => {
    const r = await dk(['run', 'busybox', 'echo', '--json'], {env: NO_ENGINE})
    expect(r.code).toBe(3)
    expect(r.json).toBeUndefined()
    expect(r.stderr).toContain('Cannot reach the Docker engine')
  })
})

describe('container commands without an engine', () => {
  it.each([
    ['ps', '--json'],
    ['port', 'web', '--json'],
    ['stop', 'web', '--json'],
    ['rm', 'web', '--json'],
    ['exec', '--json', 'web', 'ls'],
    ['run', '--json', '--rm', 'busybox'],
  ])('dk %s … exits 3 with ENGINE_UNREACHABLE in the envelope', async (...args) => {
    const r = await dk(args, {env: NO_ENGINE})
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({ok: false, exitCode: 3, error: {code: 'ENGINE_UNREACHABLE'}})
    expect(r.json.error.message).toContain('/nonexistent/dk-test.sock')
  })

  it('dk logs (no --json: the output is the container\'s) exits 3 and names the address', async () => {
    const r = await dk(['logs', 'web'], {env: NO_ENGINE})
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('/nonexistent/dk-test.sock')
  })

  it('every container command has examples in its help', async () => {
    for (const command of ['ps', 'stop', 'rm', 'port', 'logs', 'exec']) {
      const r = await dk([command, '--help'])
      expect(r.code, command).toBe(0)
      expect(r.stdout, command).toContain('EXAMPLES')
    }
  })
})
