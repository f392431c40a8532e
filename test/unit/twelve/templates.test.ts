import {mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {DkError} from '../../../src/cli/errors.js'
import {lintText} from '../../../src/dockerfile/lint.js'
import {buildReport} from '../../../src/twelve/report.js'
import {staticChecks} from '../../../src/twelve/static-checks.js'
import {initProject, listTemplates} from '../../../src/twelve/templates.js'

let cwd: string

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'dk-init-'))
})

afterEach(async () => {
  await rm(cwd, {recursive: true, force: true})
})

describe('the templates', () => {
  it('are the four the workshop needs, each with a description and a local base image', async () => {
    const templates = await listTemplates()
    expect(templates.map((t) => [t.name, t.base])).toEqual([
      ['memcached', 'debian:bookworm'],
      ['onbuild-base', 'busybox:latest'],
      ['static-site', 'busybox:latest'],
      ['twelve-factor-web', 'busybox:latest'],
    ])
    for (const t of templates) expect(t.description.length).toBeGreaterThan(20)
  })

  it('lint clean under --profile deis, and pass the static report card', async () => {
    for (const t of await listTemplates()) {
      for (const dockerfile of t.files.filter((f) => f.endsWith('Dockerfile'))) {
        const result = await lintText(await readFile(join(t.path, dockerfile), 'utf8'), {file: dockerfile, profile: 'deis'})
        expect(result.findings, `${t.name}/${dockerfile}`).toEqual([])
      }
      const report = buildReport((await staticChecks({dir: t.path})).checks, {dir: t.path, ran: false})
      expect(report.factors.filter((f) => f.status !== 'pass' && f.status !== 'not-checked').map((f) => f.id), t.name).toEqual([])
    }
  })
})

describe('initProject', () => {
  it('creates DIR with every file, keeping start scripts executable', async () => {
    const result = await initProject({template: 'twelve-factor-web', dir: 'web', cwd})
    expect(result.dir).toBe(join(cwd, 'web'))
    expect(result.files).toEqual(['Dockerfile', 'README.md', 'start.sh', 'www/cgi-bin/index.cgi'])
    expect((await stat(join(cwd, 'web', 'start.sh'))).mode & 0o111).not.toBe(0)
    expect(result.next).toEqual(['git init web', 'dk lint web/Dockerfile', 'dk build web -t web', 'dk twelve-factor web --run'])
    // Nothing left beside it from the staging folder.
    expect(await readdir(cwd)).toEqual(['web'])
  })

  it('defaults DIR to the template name and copies dotfiles', async () => {
    const result = await initProject({template: 'onbuild-base', cwd})
    expect(result.dir).toBe(join(cwd, 'onbuild-base'))
    expect(await readFile(join(cwd, 'onbuild-base', '.dockerignore'), 'utf8')).toMatch(/example-app/)
  })

  it('fills an existing empty DIR', async () => {
    await mkdir(join(cwd, 'empty'))
    await initProject({template: 'static-site', dir: 'empty', cwd})
    expect(await readdir(join(cwd, 'empty'))).toContain('Dockerfile')
  })

  it('refuses a non-empty DIR with exit 2 and a hint, and leaves it untouched', async () => {
    await mkdir(join(cwd, 'app'))
    await writeFile(join(cwd, 'app', 'Dockerfile'), 'FROM mine\n')
    const error = await initProject({template: 'static-site', dir: 'app', cwd}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DkError)
    expect((error as DkError).exitCode).toBe(2)
    expect((error as DkError).hint).toMatch(/--force/)
    expect(await readFile(join(cwd, 'app', 'Dockerfile'), 'utf8')).toBe('FROM mine\n')
    expect(await readdir(join(cwd, 'app'))).toEqual(['Dockerfile'])
  })

  it('--force writes into it, replaces same-named files and keeps the others', async () => {
    await mkdir(join(cwd, 'app'))
    await writeFile(join(cwd, 'app', 'Dockerfile'), 'FROM mine\n')
    await writeFile(join(cwd, 'app', 'notes.txt'), 'keep me\n')
    const result = await initProject({template: 'static-site', dir: 'app', cwd, force: true})
    expect(result.overwritten).toEqual(['Dockerfile'])
    expect(await readFile(join(cwd, 'app', 'Dockerfile'), 'utf8')).toMatch(/busybox/)
    expect(await readFile(join(cwd, 'app', 'notes.txt'), 'utf8')).toBe('keep me\n')
    expect((await readdir(join(cwd, 'app'))).filter((f) => f.includes('.dk-'))).toEqual([])
  })

  it('an unknown template is a usage error that suggests the closest name', async () => {
    const error = (await initProject({template: 'static-sit', cwd}).catch((e: unknown) => e)) as DkError
    expect(error.exitCode).toBe(2)
    expect(error.hint).toMatch(/Did you mean static-site\?/)
  })

  it('a DIR that is a file is refused', async () => {
    await writeFile(join(cwd, 'file'), 'x')
    const error = (await initProject({template: 'static-site', dir: 'file', cwd}).catch((e: unknown) => e)) as DkError
    expect(error.exitCode).toBe(2)
  })

  it('memcached asks for the debian base first', async () => {
    const result = await initProject({template: 'memcached', dir: 'mc', cwd})
    expect(result.next.slice(0, 2)).toEqual(['git init mc', 'dk setup --debian'])
  })
})
