import {mkdtemp, readFile, stat, writeFile, readdir} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {findExercise, loadDefinition} from '../../../src/exercises/catalog.js'
import {overlay, resetFiles, scaffoldExercise} from '../../../src/exercises/scaffold.js'

describe('scaffold, overlay, reset (exercise 4 files)', () => {
  it('scaffolds README (token filled) and files with their mode, and never overwrites a changed file', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'dk-unit-scaffold-'))
    const meta = await findExercise('4')
    const def = await loadDefinition(meta)
    const first = await scaffoldExercise(meta, def, ws, 'dk-tok')
    expect(first.written.sort()).toEqual(['Dockerfile', 'README.md', 'greet.sh'])
    const dir = join(ws, '04-entrypoint')
    expect((await stat(join(dir, 'greet.sh'))).mode & 0o111).not.toBe(0)
    await writeFile(join(dir, 'Dockerfile'), 'FROM mine\n')
    const second = await scaffoldExercise(meta, def, ws, 'dk-tok')
    expect(second.kept.sort()).toEqual(['Dockerfile', 'README.md', 'greet.sh'])
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM mine\n')

    const laid = await overlay(join(meta.root, 'test', 'wrong-cmd-only'), dir, 'dk-tok')
    expect(laid).toEqual(['Dockerfile'])
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toContain('CMD ["/usr/local/bin/greet.sh", "world"]')

    await writeFile(join(dir, 'extra.txt'), 'x')
    await resetFiles(meta, def, ws, 'dk-tok')
    expect((await readdir(dir)).sort()).toEqual(['Dockerfile', 'README.md', 'greet.sh'])
    expect(await readFile(join(dir, 'Dockerfile'))).toEqual(await readFile(join(meta.root, 'scaffold', 'Dockerfile')))
  })

  it('fills {{token}} in solution files', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'dk-unit-scaffold-'))
    const meta = await findExercise('3')
    await overlay(join(meta.root, 'solution'), join(ws, meta.folder), 'dk-abc')
    expect(await readFile(join(ws, meta.folder, 'Dockerfile'), 'utf8')).toContain('echo "dk-abc" > /etc/motd')
  })
})
