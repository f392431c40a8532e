import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {buildReport, type Check} from '../../../src/twelve/report.js'
import {staticChecks} from '../../../src/twelve/static-checks.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dk-twelve-static-'))
})

afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

async function files(map: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(map)) {
    await mkdir(join(dir, path, '..'), {recursive: true})
    await writeFile(join(dir, path), text)
  }
}

const find = (checks: Check[], factor: string, id: string) => checks.find((c) => c.factor === factor && c.id === id)

const GOOD = 'FROM busybox:1.36\nEXPOSE 8080\nCMD ["/app/start.sh"]\n'

describe('staticChecks', () => {
  it('a small clean app has no failing factor', async () => {
    await files({Dockerfile: GOOD, 'package.json': '{}', 'package-lock.json': '{}', Procfile: 'web: /app/start.sh\nrelease: /app/migrate\n'})
    const {checks} = await staticChecks({dir})
    const report = buildReport(checks, {dir, ran: false})
    expect(report.factors.filter((f) => f.status === 'fail')).toEqual([])
    expect(find(checks, 'II', 'dependency-lock')?.evidence).toEqual(['package.json + package-lock.json'])
    expect(find(checks, 'VIII', 'procfile')?.evidence).toEqual(['web: /app/start.sh (Procfile:1)', 'release: /app/migrate (Procfile:2)'])
    expect(find(checks, 'XII', 'admin-processes')?.status).toBe('pass')
  })

  it('a secret sent in the build context fails III; one excluded by .dockerignore only warns', async () => {
    await files({
      Dockerfile: GOOD,
      'config/app.yml': 'db:\n  password: hunter22\n',
      '.env': 'TOKEN=abc\n',
      '.dockerignore': '.env\n',
    })
    const {checks} = await staticChecks({dir})
    const sent = find(checks, 'III', 'no-secrets')!
    expect(sent.status).toBe('fail')
    expect(sent.location).toBe('config/app.yml:2:3')
    expect(sent.evidence[0]).toBe('config/app.yml:2:3: a literal password (password=********)')
    const kept = find(checks, 'III', 'no-committed-secrets')!
    expect(kept.status).toBe('warn')
    expect(kept.evidence).toContain('.env: an environment file (.env)')
  })

  it('ENV with a secret-looking name bakes it into the image (III fails at the ENV line)', async () => {
    await files({Dockerfile: 'FROM busybox:1.36\nENV API_KEY=abcdef123\nEXPOSE 80\nCMD ["httpd"]\n'})
    const check = find((await staticChecks({dir})).checks, 'III', 'no-secrets')!
    expect(check.status).toBe('fail')
    expect(check.location).toBe('Dockerfile:2:1')
  })

  it('a manifest without a lock fails II at the manifest', async () => {
    await files({Dockerfile: GOOD, Gemfile: "source 'https://rubygems.org'\n"})
    const check = find((await staticChecks({dir})).checks, 'II', 'dependency-lock')!
    expect(check.status).toBe('fail')
    expect(check.fix).toMatch(/bundle lock/)
  })

  it('no EXPOSE and no CMD warn (they may be inherited); a shell-form CMD warns on IX', async () => {
    await files({Dockerfile: 'FROM team-base:1\nENV A=1\n'})
    let checks = (await staticChecks({dir})).checks
    expect(find(checks, 'VII', 'one-port')?.status).toBe('warn')
    expect(find(checks, 'V', 'cmd')?.status).toBe('warn')
    await files({Dockerfile: 'FROM busybox:1.36\nEXPOSE 80\nCMD httpd -f\n'})
    checks = (await staticChecks({dir})).checks
    expect(find(checks, 'IX', 'exec-form')?.location).toBe('Dockerfile:3:1')
  })

  it('a broken Procfile fails VIII with line:column', async () => {
    await files({Dockerfile: GOOD, Procfile: 'web: ok\nworker bin/worker\n'})
    const check = find((await staticChecks({dir})).checks, 'VIII', 'procfile')!
    expect(check.status).toBe('fail')
    expect(check.location).toBe('Procfile:2:1')
  })

  it('log files in scripts warn on XI (best effort); /dev/stdout does not', async () => {
    await files({Dockerfile: GOOD, 'start.sh': '#!/bin/sh\nexec app >> /var/log/app.log 2>&1\n', 'nginx.conf': 'access_log /dev/stdout;\n'})
    const check = find((await staticChecks({dir})).checks, 'XI', 'logs-to-stdout')!
    expect(check.status).toBe('warn')
    expect(check.bestEffort).toBe(true)
    expect(check.evidence).toEqual(['start.sh:2:10: exec app >> /var/log/app.log 2>&1'])
  })

  it('never reads through a symlink that leaves the directory', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'dk-twelve-outside-'))
    try {
      await writeFile(join(outside, 'secrets.env'), 'PASSWORD=hunter22\n')
      await files({Dockerfile: GOOD})
      await symlink(join(outside, 'secrets.env'), join(dir, 'settings.yml'))
      const checks = (await staticChecks({dir})).checks
      expect(find(checks, 'III', 'no-secrets')?.status).toBe('pass')
    } finally {
      await rm(outside, {recursive: true, force: true})
    }
  })

  it('no Dockerfile fails V', async () => {
    await files({'app.py': 'print(1)\n'})
    expect(find((await staticChecks({dir})).checks, 'V', 'dockerfile')?.status).toBe('fail')
  })
})
