import {describe, expect, it} from 'vitest'

import {UsageError} from '../../../src/cli/errors.js'
import {parseExposed, parsePortRange, parsePortSpec} from '../../../src/engine/port-spec.js'

const short = (spec: string) => parsePortSpec(spec).map((b) => [`${b.containerPort}/${b.protocol}`, b.hostIp, b.hostPort])

// Expected values are what docker CLI 28 stored in HostConfig.PortBindings for `docker create -p SPEC`
// (checked side by side on the project machine; test/engine/containers-docker.test.ts repeats it live).
describe('parsePortSpec accepts every form docker accepts', () => {
  it.each([
    ['8080', [['8080/tcp', '', '']]],
    ['80:8080', [['8080/tcp', '', '80']]],
    ['127.0.0.1:80:8080', [['8080/tcp', '127.0.0.1', '80']]],
    ['127.0.0.1::8080', [['8080/tcp', '127.0.0.1', '']]],
    ['0.0.0.0:80:80', [['80/tcp', '0.0.0.0', '80']]],
    ['8000-8002:8000-8002', [['8000/tcp', '', '8000'], ['8001/tcp', '', '8001'], ['8002/tcp', '', '8002']]],
    ['8080-8081', [['8080/tcp', '', ''], ['8081/tcp', '', '']]],
    ['8000-8010:80', [['80/tcp', '', '8000-8010']]],
    ['53:53/udp', [['53/udp', '', '53']]],
    ['8080/UDP', [['8080/udp', '', '']]],
    ['8080/sctp', [['8080/sctp', '', '']]],
    ['8080/', [['8080/tcp', '', '']]],
    [':8080', [['8080/tcp', '', '']]],
    ['[::1]:80:80', [['80/tcp', '::1', '80']]],
    ['[::1]::80', [['80/tcp', '::1', '']]],
    ['::1:81:80', [['80/tcp', '::1', '81']]],
    ['080:0080', [['80/tcp', '', '80']]],
    ['published=8081,target=80', [['80/tcp', '', '8081']]],
    ['published=8082,target=80,protocol=udp', [['80/udp', '', '8082']]],
    ['target=80', [['80/tcp', '', '']]],
  ])('%s', (spec, expected) => {
    expect(short(spec)).toEqual(expected)
  })
})

describe('parsePortSpec rejects what docker rejects, with docker\'s reason', () => {
  it.each([
    ['abc', 'invalid containerPort: abc'],
    ['99999', 'invalid containerPort: 99999'],
    ['+80', 'invalid containerPort: +80'],
    ['80:-1', 'invalid containerPort: -1'],
    ['8002-8000', 'invalid containerPort: 8002-8000'],
    ['80:8080:', 'invalid IP address: 80'],
    ['1.2.3:80:80', 'invalid IP address: 1.2.3'],
    ['[::1:80:80', 'invalid IP address [::1'],
    ['80-81:90-93', 'invalid ranges specified for container and host Ports: 90-93 and 80-81'],
    ['8080/xyz', 'invalid proto: xyz'],
    ['', 'no port specified: <empty>'],
    ['/tcp', 'no port specified: /tcp<empty>'],
    ['70000:80', 'invalid hostPort: 70000'],
    ['published', 'invalid containerPort: published'],
    ['published=,x', "invalid publish opts format (should be name=value but got 'x')"],
  ])('%j → %s', (spec, reason) => {
    let caught: unknown
    try {
      parsePortSpec(spec)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(UsageError)
    const error = caught as UsageError
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`Invalid port spec "${spec}": ${reason}.`)
    // The hint lists the accepted forms, so a learner sees what to write instead.
    expect(error.hint).toContain('127.0.0.1::8080')
  })
})

describe('port ranges and EXPOSE values', () => {
  it('parses ranges like Go ParseUint(…, 10, 16)', () => {
    expect(parsePortRange('0')).toEqual([0, 0])
    expect(parsePortRange('65535')).toEqual([65_535, 65_535])
    expect(parsePortRange('65536')).toBeUndefined()
    expect(parsePortRange('1-3')).toEqual([1, 3])
    expect(parsePortRange('3-1')).toBeUndefined()
    expect(parsePortRange('1-')).toBeUndefined()
    expect(parsePortRange(' 1')).toBeUndefined()
  })

  it('expands --expose values', () => {
    expect(parseExposed('8080')).toEqual([{containerPort: 8080, protocol: 'tcp'}])
    expect(parseExposed('53-54/udp')).toEqual([
      {containerPort: 53, protocol: 'udp'},
      {containerPort: 54, protocol: 'udp'},
    ])
    expect(() => parseExposed('http')).toThrow(UsageError)
  })
})
