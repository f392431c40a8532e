import {describe, expect, it} from 'vitest'

import {ADMIN_TYPES, parseProcfile} from '../../../src/twelve/procfile.js'

describe('parseProcfile', () => {
  it('lists process types with their commands and lines, skipping comments and blank lines', () => {
    const p = parseProcfile('# app\nweb: bin/web --port $PORT\n\nworker:   bin/worker\r\nrelease: bin/migrate\n')
    expect(p.problems).toEqual([])
    expect(p.types).toEqual([
      {name: 'web', command: 'bin/web --port $PORT', line: 2},
      {name: 'worker', command: 'bin/worker', line: 4},
      {name: 'release', command: 'bin/migrate', line: 5},
    ])
  })

  it('reports a line without a colon, a bad name, an empty command and a duplicate with line:column', () => {
    const p = parseProcfile('web: a\n  oops\nweb worker: b\nclock:\nweb: c\n')
    expect(p.types.map((t) => t.name)).toEqual(['web'])
    expect(p.problems).toEqual([
      {line: 2, column: 3, message: 'expected "name: command", found no ":"'},
      {line: 3, column: 1, message: 'invalid process type name "web worker" (letters, digits, _ and - only)'},
      {line: 4, column: 7, message: 'process type "clock" has no command'},
      {line: 5, column: 1, message: 'process type "web" is defined twice (first on line 1)'},
    ])
  })

  it('knows which process types are admin tasks', () => {
    expect(['release', 'migrate', 'console', 'db-migrate'].every((n) => ADMIN_TYPES.test(n))).toBe(true)
    expect(['web', 'worker', 'clock'].some((n) => ADMIN_TYPES.test(n))).toBe(false)
  })
})
