/**
 * dk run/ps/port/logs/exec/stop/rm against the real engine, with busybox:latest only. Every container
 * carries testLabels(SUITE) (dk adds io.dk.managed itself) and a dkt-ctr- name; afterAll removes them.
 * CLI cases spawn the built bin/run.js (build first: npx tsc -p tsconfig.json).
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, connect as netConnect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Engine} from '../../src/engine/connect.js'
import {createAndStart, execIn, publishedPorts, removeContainer, resolveContainer, runToCompletion, stopContainer} from '../../src/engine/containers.js'
import {parseRunArgs} from '../../src/engine/run-spec.js'
import {dk, dkBin, repoRoot} from '../helpers/cli.js'
import {cleanupTestObjects, maybeEngine, testLabels} from '../helpers/engine.js'

const SUITE = 'containers.test.ts'
const LABEL = `io.dk.test=${SUITE}`
const engine = await maybeEngine()
const d = describe.skipIf(!engine)
const e = engine as Engine

/** A spec from docker-style flags, labelled for this suite. */
const spec = (...argv: string[]) => parseRunArgs(['-l', LABEL, ...argv]).spec

/** GET / over plain TCP (busybox httpd) and return the whole response. */
function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({host, port}, () => socket.write(`GET / HTTP/1.0\r\nHost: ${host}\r\n\r\n`))
    const chunks: Buffer[] = []
    socket.on('data', (c) => chunks.push(c))
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.on('error', reject)
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')))
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as {port: number}).port
  await new Promise((r) => server.close(r))
  return port
}

async function retry<T>(fn: () => Promise<T>, ok: (v: T) => boolean, tries = 20, ms = 150): Promise<T> {
  let value = await fn()
  for (let i = 0; i < tries && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, ms))
    value = await fn()
  }
  return value
}

/** Spawn `dk ARGS` and keep the process, for signal tests. */
function spawnDk(args: string[]): {child: ChildProcess; output: () => string; exited: Promise<number | null>} {
  const child = spawn(process.execPath, [dkBin, ...args], {cwd: repoRoot, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
  let text = ''
  child.stdout?.on('data', (c) => (text += c))
  child.stderr?.on('data', (c) => (text += c))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {child, output: () => text, exited}
}

const docroot = mkdtempSync(join(tmpdir(), 'dkt-ctr-'))

beforeAll(async () => {
  if (engine) await cleanupTestObjects(e.docker, SUITE)
})

afterAll(async () => {
  if (engine) await cleanupTestObjects(e.docker, SUITE)
  rmSync(docroot, {recursive: true, force: true})
})

d('a memcached-like server: -d -P, found with dk port, answering on 127.0.0.1', () => {
  it('publishes the exposed port on a random host port and serves through it', async () => {
    const run = await dk(['run', '-d', '-P', '--expose', '8080', '--name', 'dkt-ctr-web', '-l', LABEL, 'busybox', 'sh', '-c', 'echo hello-from-web > /tmp/index.html && httpd -f -p 8080 -h /tmp'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim()).toMatch(/^[0-9a-f]{64}$/)
    // The published ports are shown (on stderr, so that `ID=$(dk run -d …)` keeps working).
    expect(run.stderr).toMatch(/^8080\/tcp -> 0\.0\.0\.0:\d+$/m)

    const port = await dk(['port', 'dkt-ctr-web', '8080'])
    expect(port.code).toBe(0)
    const hostPort = Number(/^0\.0\.0\.0:(\d+)$/m.exec(port.stdout)?.[1])
    expect(hostPort).toBeGreaterThan(0)
    const response = await retry(() => httpGet('127.0.0.1', hostPort).catch(() => ''), (r) => r.includes('hello-from-web'))
    expect(response).toMatch(/^HTTP\/1\.[01] 200/)
    expect(response).toContain('hello-from-web')
  })

  it('prints the same as docker port and docker ps for the same container', async () => {
    for (const args of [['port', 'dkt-ctr-web'], ['port', 'dkt-ctr-web', '8080/tcp']]) {
      const [mine, theirs] = await Promise.all([dk(args), dockerCli(args)])
      expect(mine.stdout).toBe(theirs.stdout)
    }
    await expectSamePs(['ps', '--filter', `label=${LABEL}`])
  })

  it('says which port is not published, with exit 1', async () => {
    const r = await dk(['port', 'dkt-ctr-web', '9999'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("No public port '9999' published for dkt-ctr-web.")
    expect(r.stderr).toContain('Published: 8080/tcp')
  })
})

d('-p forms', () => {
  it('binds an IP with a random port, a fixed port, a range and udp', async () => {
    const fixed = await freePort()
    const {id} = await createAndStart(e, spec('-d', '--name', 'dkt-ctr-forms', '-p', '127.0.0.1::8080', '-p', `${fixed}:9090`, '-p', '127.0.0.1:7100-7101:7100-7101', '-p', '5353/udp', 'busybox', 'sleep', '60'))
    const ports = await publishedPorts(e, id.slice(0, 10))
    const by = (key: string) => ports.filter((p) => p.containerPort === key)
    expect(by('8080/tcp')).toHaveLength(1)
    expect(by('8080/tcp')[0].hostIp).toBe('127.0.0.1')
    expect(by('8080/tcp')[0].hostPort).toBeGreaterThan(1024)
    expect(by('9090/tcp').map((p) => p.hostPort)).toContain(fixed)
    expect(by('7100/tcp')).toEqual([{containerPort: '7100/tcp', hostIp: '127.0.0.1', hostPort: 7100}])
    expect(by('7101/tcp')).toEqual([{containerPort: '7101/tcp', hostIp: '127.0.0.1', hostPort: 7101}])
    expect(by('5353/udp').length).toBeGreaterThan(0)
    await expectSamePs(['ps', '--filter', 'name=dkt-ctr-forms'])
    const [mine, theirs] = await Promise.all([dk(['port', 'dkt-ctr-forms']), dockerCli(['port', 'dkt-ctr-forms'])])
    expect(mine.stdout).toBe(theirs.stdout)
  })
})

d('links, as the workshop teaches them', () => {
  it('gives the linked container env vars, a hosts entry and traffic by alias without publishing', async () => {
    await createAndStart(e, spec('-d', '--name', 'dkt-ctr-db', '--expose', '8080', '-e', 'SECRET=s3cret', 'busybox', 'sh', '-c', 'echo db-says-hi > /tmp/index.html && httpd -f -p 8080 -h /tmp'))
    const result = await runToCompletion(
      e,
      spec('--name', 'dkt-ctr-app', '--link', 'dkt-ctr-db:db', 'busybox', 'sh', '-c', 'env | sort; echo ---; cat /etc/hosts; echo ---; for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://db:8080/ && break; sleep 0.3; done'),
      {timeoutMs: 20_000},
    )
    expect(result.exitCode, result.stderr).toBe(0)
    const [env, hosts, body] = result.stdout.split('---\n')
    expect(env).toMatch(/^DB_NAME=\/dkt-ctr-app\/db$/m)
    expect(env).toMatch(/^DB_PORT=tcp:\/\/172\.[\d.]+:8080$/m)
    expect(env).toMatch(/^DB_PORT_8080_TCP=tcp:\/\/[\d.]+:8080$/m)
    expect(env).toMatch(/^DB_PORT_8080_TCP_ADDR=[\d.]+$/m)
    expect(env).toMatch(/^DB_PORT_8080_TCP_PORT=8080$/m)
    expect(env).toMatch(/^DB_PORT_8080_TCP_PROTO=tcp$/m)
    expect(env).toMatch(/^DB_ENV_SECRET=s3cret$/m)
    expect(hosts).toMatch(/^[\d.]+\s+db\b.*dkt-ctr-db/m)
    expect(body.trim()).toBe('db-says-hi')
    // No port was published: the traffic went over the link.
    expect(await publishedPorts(e, 'dkt-ctr-db')).toEqual([])
  })

  it('shows the link in dk ps --no-trunc NAMES, as docker ps does', async () => {
    const {id} = await createAndStart(e, spec('-d', '--name', 'dkt-ctr-app2', '--link', 'dkt-ctr-db:db', 'busybox', 'sleep', '60'))
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    const r = await dk(['ps', '--no-trunc', '--filter', 'name=dkt-ctr-db'])
    expect(r.stdout).toContain('dkt-ctr-app2/db,dkt-ctr-db')
    await expectSamePs(['ps', '--no-trunc', '--filter', 'name=dkt-ctr-db'])
  })

  it('refuses a link to a missing container (exit 4) and to a stopped one (exit 1)', async () => {
    const missing = await dk(['run', '--rm', '-l', LABEL, '--link', 'dkt-ctr-nothing:db', 'busybox', 'true'])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain('Cannot link to dkt-ctr-nothing: no such container.')
    await runToCompletion(e, spec('--name', 'dkt-ctr-stopped', 'busybox', 'true'), {keep: true})
    const stopped = await dk(['run', '--rm', '-l', LABEL, '--link', 'dkt-ctr-stopped:db', 'busybox', 'true'])
    expect(stopped.code).toBe(1)
    expect(stopped.stderr).toContain('Cannot link to dkt-ctr-stopped: it is not running (exited, exit code 0).')
  })
})

d('volumes', () => {
  it('keeps data in a named volume after its container is gone', async () => {
    await e.docker.createVolume({Name: 'dkt-ctr-vol', Labels: testLabels(SUITE)})
    const write = await runToCompletion(e, spec('-v', 'dkt-ctr-vol:/data', 'busybox', 'sh', '-c', 'echo kept > /data/note'))
    expect(write.exitCode).toBe(0)
    const read = await runToCompletion(e, spec('-v', 'dkt-ctr-vol:/data:ro', 'busybox', 'sh', '-c', 'cat /data/note; touch /data/x 2>/dev/null || echo read-only'))
    expect(read.stdout).toBe('kept\nread-only\n')
  })

  it('bind-mounts an absolute host path and refuses a missing or relative one', async () => {
    const ok = await dk(['run', '--rm', '-l', LABEL, '-v', `${docroot}:/host`, 'busybox', 'sh', '-c', 'echo via-bind > /host/out.txt'])
    expect(ok.code, ok.stderr).toBe(0)
    const missing = await dk(['run', '--rm', '-l', LABEL, '-v', `${docroot}/nope:/x`, 'busybox', 'true'])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain(`Bind mount source ${docroot}/nope does not exist.`)
    const relative = await dk(['run', '--rm', '-l', LABEL, '-v', './data:/data', 'busybox', 'true'])
    expect(relative.code).toBe(2)
    expect(relative.stderr).toContain('use absolute path')
  })
})

d('foreground runs: output, exit codes, --rm, signals', () => {
  it('passes stdout and stderr through separately and exits with the container\'s code', async () => {
    const r = await dk(['run', '--rm', '-l', LABEL, 'busybox', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 42'])
    expect(r.code).toBe(42)
    expect(r.stdout).toBe('to-out\n')
    expect(r.stderr).toBe('to-err\n')
  })

  it('gives options after the image to the container (ls -l), and stdin with -i', async () => {
    const ls = await dk(['run', '--rm', '-l', LABEL, 'busybox', 'ls', '-l', '/etc/passwd'])
    expect(ls.stdout).toMatch(/^-rw.* \/etc\/passwd\n$/)
    const cat = await dk(['run', '-i', '--rm', '-l', LABEL, 'busybox', 'tr', 'a-z', 'A-Z'], {input: 'shout\n'})
    expect(cat.stdout).toBe('SHOUT\n')
  })

  it('--rm leaves nothing behind', async () => {
    const r = await dk(['run', '--rm', '--name', 'dkt-ctr-gone', '-l', LABEL, 'busybox', 'true'])
    expect(r.code).toBe(0)
    await expect(resolveContainer(e, 'dkt-ctr-gone')).rejects.toMatchObject({exitCode: 4})
  })

  it('forwards SIGTERM to the container (its trap runs) and exits with its code', async () => {
    const run = spawnDk(['run', '--name', 'dkt-ctr-trap', '-l', LABEL, 'busybox', 'sh', '-c', 'trap "echo got-TERM; exit 143" TERM; echo ready; while :; do sleep 0.1; done'])
    expect(await retry(async () => run.output(), (t) => t.includes('ready'), 300, 100)).toContain('ready')
    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(143)
    expect(run.output()).toContain('got-TERM')
  })

  it('forwards Ctrl-C, and --rm still removes the container', async () => {
    const run = spawnDk(['run', '--rm', '--name', 'dkt-ctr-ctrlc', '-l', LABEL, 'busybox', 'sh', '-c', 'trap "echo got-INT; exit 130" INT; echo ready; while :; do sleep 0.1; done'])
    expect(await retry(async () => run.output(), (t) => t.includes('ready'), 300, 100)).toContain('ready')
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(130)
    expect(run.output()).toContain('got-INT')
    await expect(resolveContainer(e, 'dkt-ctr-ctrlc')).rejects.toMatchObject({exitCode: 4})
  })

  it('gives up after three Ctrl-C when the container ignores them, and --rm still removes it (exit 130)', async () => {
    const run = spawnDk(['run', '--rm', '--name', 'dkt-ctr-stubborn', '-l', LABEL, 'busybox', 'sh', '-c', 'trap "" INT TERM; echo ready; while :; do sleep 0.1; done'])
    expect(await retry(async () => run.output(), (t) => t.includes('ready'), 300, 100)).toContain('ready')
    for (let i = 0; i < 3; i++) {
      run.child.kill('SIGINT')
      await new Promise((r) => setTimeout(r, 300))
    }
    expect(await run.exited).toBe(130)
    expect(run.output()).toContain('Stopped waiting for dkt-ctr-stubborn after 3 interrupts.')
    await expect(resolveContainer(e, 'dkt-ctr-stubborn')).rejects.toMatchObject({exitCode: 4})
  })

  it('reports a command missing from the image with 127, like docker run', async () => {
    const r = await dk(['run', '--rm', '-l', LABEL, 'busybox', 'no-such-command'])
    expect(r.code).toBe(127)
    expect(r.stderr).toContain('executable file not found')
  })
})

d('run flags reach the container', () => {
  it('-w -u --entrypoint --init -e --env-file -h and labels', async () => {
    const envFile = join(docroot, 'app.env')
    writeFileSync(envFile, '# config\nFROM_FILE=yes\nBOTH=file\n')
    const r = await runToCompletion(
      e,
      parseRunArgs(['-l', LABEL, '-l', 'team=web', '-w', '/tmp', '-u', 'app', '--entrypoint', 'sh', '--init', '-h', 'box1', '--env-file', envFile, '-e', 'BOTH=flag', 'busybox', '-c', 'pwd; id -un; hostname; cat /proc/1/comm; echo $FROM_FILE $BOTH']).spec,
      {keep: true},
    )
    expect(r.stdout).toBe('/tmp\napp\nbox1\ndocker-init\nyes flag\n')
    const created = await e.docker.listContainers({all: true, filters: JSON.stringify({label: [LABEL, 'team=web']})})
    expect(created).toHaveLength(1)
    expect(created[0].Labels).toMatchObject({'io.dk.managed': 'true', team: 'web'})
  })
})

d('errors a learner meets', () => {
  it('a missing image: exit 4, never a pull, pointing at dk setup / dk load', async () => {
    const r = await dk(['run', '--rm', '-l', LABEL, 'dkt-ctr-no-such-image:1', 'true'])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('Image dkt-ctr-no-such-image:1 is not here, and dk never pulls')
    expect(r.stderr).toMatch(/dk setup.*dk load/)
  })

  it('a name in use: which container holds it (exit 1)', async () => {
    const holder = await createAndStart(e, spec('-d', '--name', 'dkt-ctr-taken', 'busybox', 'sleep', '60'))
    const r = await dk(['run', '-d', '--name', 'dkt-ctr-taken', '-l', LABEL, 'busybox', 'true'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`The name "dkt-ctr-taken" is already in use by container ${holder.id.slice(0, 12)}, running, image busybox.`)
    expect(r.stderr).toContain('dk rm -f dkt-ctr-taken')
  })

  it('a host port already taken: which port and which container; nothing left behind (exit 1)', async () => {
    const port = await freePort()
    await createAndStart(e, spec('-d', '--name', 'dkt-ctr-port1', '-p', `127.0.0.1:${port}:80`, 'busybox', 'sleep', '60'))
    const r = await dk(['run', '-d', '--name', 'dkt-ctr-port2', '-l', LABEL, '-p', `127.0.0.1:${port}:80`, 'busybox', 'sleep', '60'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`Host port ${port} is already taken by container dkt-ctr-port1.`)
    await expect(resolveContainer(e, 'dkt-ctr-port2')).rejects.toMatchObject({exitCode: 4})
  })

  it('an invalid port spec: the spec and the accepted forms (exit 2)', async () => {
    const r = await dk(['run', '-p', '80:80:80:x', 'busybox', 'true'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Invalid port spec "80:80:80:x"')
    expect(r.stderr).toContain('Accepted forms:')
  })

  it('--json carries the error code and keeps the exit code', async () => {
    const r = await dk(['run', '--json', '--rm', 'dkt-ctr-no-such-image:1'])
    expect(r.code).toBe(4)
    expect(r.json).toMatchObject({ok: false, exitCode: 4, error: {code: 'IMAGE_NOT_FOUND'}})
  })
})

d('exec, logs, stop, rm', () => {
  it('exec runs in the container with -e -u -w and propagates the exit code', async () => {
    await createAndStart(e, spec('-d', '--name', 'dkt-ctr-box', 'busybox', 'sh', '-c', 'echo out-line; sleep 0.2; echo err-line >&2; sleep 60'))
    const r = await dk(['exec', '-e', 'X=1', '-u', 'app', '-w', '/tmp', 'dkt-ctr-box', 'sh', '-c', 'echo $X $(pwd) $(id -un); exit 3'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('1 /tmp app\n')
    const lib = await execIn(e, 'dkt-ctr-box', ['cat'], {stdin: 'piped'})
    expect(lib).toEqual({exitCode: 0, stdout: 'piped', stderr: ''})
    // The engine (and so `docker exec`) reports a command it cannot start as 126.
    const [missing, docker] = await Promise.all([dk(['exec', 'dkt-ctr-box', 'nope']), dockerCli(['exec', 'dkt-ctr-box', 'nope'])])
    expect(missing.code).toBe(docker.code)
    expect(missing.stdout + missing.stderr).toContain('executable file not found')
  })

  it('logs are demultiplexed: stdout to stdout, stderr to stderr; --tail works', async () => {
    const logs = await retry(() => dk(['logs', 'dkt-ctr-box']), (r) => r.stderr.includes('err-line'))
    expect(logs.stdout).toBe('out-line\n')
    expect(logs.stderr).toBe('err-line\n')
    const tail = await dk(['logs', '--tail', '1', '-t', 'dkt-ctr-box'])
    expect(tail.stdout + tail.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z err-line\n$/)
  })

  it('stop and rm accept several containers, short ids too, and report the missing ones', async () => {
    const box = await resolveContainer(e, 'dkt-ctr-box')
    const stop = await dk(['stop', '-t', '0', box.id.slice(0, 12), 'dkt-ctr-nope'])
    expect(stop.code).toBe(4)
    expect(stop.stdout).toBe(`${box.id.slice(0, 12)}\n`)
    expect(stop.stderr).toContain('No such container: dkt-ctr-nope')
    expect((await resolveContainer(e, 'dkt-ctr-box')).running).toBe(false)
    const rm = await dk(['rm', 'dkt-ctr-box'])
    expect(rm.code).toBe(0)
    expect(rm.stdout).toBe('dkt-ctr-box\n')

    const running = await createAndStart(e, spec('-d', '--name', 'dkt-ctr-running', 'busybox', 'sleep', '60'))
    const refused = await dk(['rm', 'dkt-ctr-running'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('it is running')
    await stopContainer(e, running.id, 0)
    await removeContainer(e, running.id)
    await expect(resolveContainer(e, running.id)).rejects.toMatchObject({exitCode: 4})
  })
})

/** The docker CLI itself, for side-by-side comparisons. */
function dockerCli(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, stdout, stderr}))
  })
}

/**
 * dk ps and docker ps print the same table. The two calls happen a moment apart (dk starts Node first),
 * so CREATED/STATUS may tick between them: those two cells are compared with their seconds masked,
 * everything else (and the layout rule: columns at the same offsets whenever the cells have the same width) exactly.
 */
async function expectSamePs(args: string[]): Promise<void> {
  let mine = ''
  let theirs = ''
  for (let i = 0; i < 3; i++) {
    ;[mine, theirs] = (await Promise.all([dk(args), dockerCli(args)])).map((r) => r.stdout)
    if (mine === theirs) return
    if (JSON.stringify(cells(mine)) === JSON.stringify(cells(theirs))) return
  }
  expect(cells(mine)).toEqual(cells(theirs))
  expect(mine.split('\n').length).toBeGreaterThan(2)
}

/** Split a docker ps table into cells by its header's column offsets, masking the clock-dependent numbers. */
function cells(text: string): string[][] {
  const [header, ...rows] = text.trimEnd().split('\n')
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index ?? 0)
  return [header, ...rows].map((line) =>
    starts.map((start, i) => {
      const cell = line.slice(start, starts[i + 1] ?? line.length).trim()
      return i === 3 || i === 4 ? cell.replace(/Less than a second|About a minute|\d+ seconds?/g, 'T') : cell
    }),
  )
}
