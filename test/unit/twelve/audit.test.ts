import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DkError} from '../../../src/cli/errors.js'
import {audit} from '../../../src/twelve/audit.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dk-twelve-audit-'))
  await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:1.36\nEXPOSE 80\nCMD ["httpd", "-f"]\n')
})
afterAll(async () => {
  await rm(dir, {recursive: true, force: true})
})

const code = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as DkError).exitCode

describe('audit without --run', () => {
  it('is static only: the dynamic factors are not checked and no engine is needed', async () => {
    const report = await audit({dir, run: false, host: 'tcp://127.0.0.1:1'})
    expect(report.ran).toBe(false)
    expect(report.runtime).toBeUndefined()
    expect(report.factors.find((f) => f.id === 'VI')?.status).toBe('not-checked')
    expect(report.ok).toBe(true)
  })

  it('usage errors exit 2, a missing folder exits 4', async () => {
    expect(await code(audit({run: false}))).toBe(2)
    expect(await code(audit({dir: join(dir, 'Dockerfile'), run: false}))).toBe(2)
    expect(await code(audit({dir: join(dir, 'missing'), run: false}))).toBe(4)
  })

  it('with --run and an engine that does not answer: exit 3', async () => {
    expect(await code(audit({dir, run: true, host: 'tcp://127.0.0.1:1'}))).toBe(3)
  })
})
