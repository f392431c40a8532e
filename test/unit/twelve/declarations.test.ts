import {describe, expect, it} from 'vitest'

import {DkError} from '../../../src/cli/errors.js'
import {resolveDeclaration, unescapeSend} from '../../../src/twelve/declarations.js'

describe('resolveDeclaration', () => {
  it('defaults to HTTP on / with no config variable', () => {
    expect(resolveDeclaration({})).toEqual({protocol: 'http', probePath: '/', configVar: undefined, tcpSend: undefined, sources: {protocol: 'default', probePath: 'default', configVar: 'default'}})
  })

  it('reads the labels, and flags win over them', () => {
    const labels = {'io.dk.twelve-factor.protocol': 'tcp', 'io.dk.twelve-factor.config-var': 'MAX', 'io.dk.twelve-factor.tcp-send': 'stats\\r\\n'}
    const d = resolveDeclaration(labels, {configVar: 'OTHER'})
    expect(d.protocol).toBe('tcp')
    expect(d.configVar).toBe('OTHER')
    expect(d.sources).toEqual({protocol: 'label', probePath: 'default', configVar: 'flag'})
    expect(d.tcpSend).toBe('stats\r\n')
  })

  it('refuses a bad protocol, a relative probe path and an invalid variable name with exit 2', () => {
    for (const bad of [() => resolveDeclaration({'io.dk.twelve-factor.protocol': 'udp'}), () => resolveDeclaration({}, {probePath: 'health'}), () => resolveDeclaration({}, {configVar: '1X'})]) {
      expect(bad).toThrow(DkError)
      try {
        bad()
      } catch (error) {
        expect((error as DkError).exitCode).toBe(2)
        expect((error as DkError).hint).toBeTruthy()
      }
    }
  })
})

describe('unescapeSend', () => {
  it('turns \\r \\n \\t \\\\ into their characters and leaves others alone', () => {
    expect(unescapeSend('a\\r\\n\\tb\\\\c\\x')).toBe('a\r\n\tb\\c\\x')
  })
})
