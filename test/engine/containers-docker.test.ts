/**
 * dk's reading of `docker run` flags, side by side with the real docker CLI on the same engine:
 * the port bindings docker stores for `docker create -p SPEC` are the ones dk's parser produces, and
 * docker rejects exactly the specs dk rejects; every run flag dk offers exists in `docker run --help`
 * with the same shorthand. Skipped when the docker CLI is not installed.
 */
import {spawnSync} from 'node:child_process'

import {afterAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {parsePortSpec} from '../../src/engine/port-spec.js'
import {RUN_FLAGS} from '../../src/engine/run-spec.js'
import {cleanupTestObjects, maybeEngine} from '../helpers/engine.js'

const SUITE = 'containers-docker.test.ts'
const engine = await maybeEngine()
const hasDocker = spawnSync('docker', ['--version']).status === 0
const d = describe.skipIf(!engine || !hasDocker)

afterAll(async () => {
  if (engine) await cleanupTestObjects((engine as Engine).docker, SUITE)
})

function docker(args: string[]): {status: number; stdout: string; stderr: string} {
  const r = spawnSync('docker', args, {encoding: 'utf8'})
  return {status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr}
}

const SPECS = [
  '8080', '80:8080', '127.0.0.1:80:8080', '127.0.0.1::8080', '8000-8002:8000-8002', '53:53/udp', '[::1]:80:80',
  '8000-8010:80', '8080/UDP', 'published=8082,target=80,protocol=udp',
  'abc', '99999', '1.2.3:80:80', '80-81:90-93', '8080/xyz', '/tcp', '+80',
]

d('port specs: dk and docker agree', () => {
  it.each(SPECS)('%s', (spec) => {
    let mine: string[][] | string
    try {
      mine = parsePortSpec(spec).map((b) => [`${b.containerPort}/${b.protocol}`, b.hostIp, b.hostPort])
    } catch (error) {
      mine = `rejected: ${(error as Error).message}`
    }
    const created = docker(['create', '--label', `io.dk.test=${SUITE}`, '-p', spec, 'busybox', 'true'])
    if (created.status !== 0) {
      expect(typeof mine === 'string' ? mine : 'accepted').toMatch(/^rejected/)
      // Same reason as docker's own first line ("docker: invalid containerPort: abc").
      const reason = created.stderr.split('\n')[0].replace(/^docker: /, '')
      expect(mine).toContain(reason.split(':')[0])
      return
    }
    const id = created.stdout.trim()
    const bindings = JSON.parse(docker(['inspect', '-f', '{{json .HostConfig.PortBindings}}', id]).stdout) as Record<string, {HostIp: string; HostPort: string}[]>
    docker(['rm', id])
    const theirs = Object.entries(bindings)
      .flatMap(([key, list]) => list.map((b) => [key, b.HostIp, b.HostPort]))
      .sort((a, b) => Number.parseInt(a[0], 10) - Number.parseInt(b[0], 10))
    expect(mine).toEqual(theirs)
  })
})

d('run flags exist in docker run --help with the same shorthand', () => {
  it('lists every flag dk run accepts', () => {
    const help = docker(['run', '--help']).stdout
    for (const flag of RUN_FLAGS) {
      // dk's own flags, and --net: a hidden alias of --network that docker still accepts.
      if (flag.long === 'json' || flag.long === 'host' || flag.long === 'net') continue
      const line = help.split('\n').find((l) => new RegExp(`--${flag.long}(\\s|$)`).test(l))
      expect(line, `--${flag.long} in docker run --help`).toBeDefined()
      if (flag.short) expect(line).toContain(`-${flag.short}, --${flag.long}`)
      else expect(line).not.toMatch(new RegExp(`-\\w, --${flag.long}\\b`))
    }
  })
})
