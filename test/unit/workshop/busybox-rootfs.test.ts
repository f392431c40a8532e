import {existsSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {NotFoundError} from '../../../src/cli/errors.js'
import {findStaticBusybox, isStaticElf} from '../../../src/workshop/busybox-rootfs.js'

describe('static busybox detection', () => {
  it('node itself is dynamically linked', () => expect(isStaticElf(process.execPath)).toBe(false))
  it.runIf(existsSync('/bin/busybox'))('Debian\'s busybox-static is static and lists its applets', () => {
    const found = findStaticBusybox()
    expect(isStaticElf(found.path)).toBe(true)
    expect(found.applets).toEqual(expect.arrayContaining(['sh', 'httpd', 'nc', 'wget']))
    expect(found.applets).not.toContain('busybox')
  })
  it('a machine with only a dynamic busybox gets a NotFoundError that says why', () => {
    expect(() => findStaticBusybox([process.execPath])).toThrow(NotFoundError)
    expect(() => findStaticBusybox([process.execPath])).toThrow(/dynamically linked/)
  })
  it('no busybox at all: the hint says how to install it', () => {
    try {
      findStaticBusybox(['/nonexistent/busybox'])
      expect.unreachable()
    } catch (error) {
      expect((error as NotFoundError).hint).toMatch(/busybox-static|dk load/)
    }
  })
})
