import {PassThrough} from 'node:stream'

import {describe, expect, it} from 'vitest'

import {WorkFailedError, UsageError} from '../../../src/cli/errors.js'
import {humanDuration as goHumanDuration} from '../../../src/cli/output.js'
import {displayImage, displayNames, displayablePorts, ellipsis, goQuote, psTable, truncateId} from '../../../src/engine/container-format.js'
import {joinHostPort, portLine, portsFromInspect} from '../../../src/engine/containers.js'
import {demux} from '../../../src/engine/demux.js'
import {naturalLess} from '../../../src/engine/natural-sort.js'
import {selectPort} from '../../../src/engine/port-query.js'

// The PORTS text below is what `docker ps` (CLI 28) printed for
// `-p 8080 -p 127.0.0.1::9000 -p 7000-7002:7000-7002/udp -p [::1]:6000:6000` on the project machine.
const probePorts = [
  {ip: '0.0.0.0', privatePort: 8080, publicPort: 32768, type: 'tcp'},
  {ip: '::', privatePort: 8080, publicPort: 32768, type: 'tcp'},
  {ip: '127.0.0.1', privatePort: 9000, publicPort: 32772, type: 'tcp'},
  {ip: '::', privatePort: 7002, publicPort: 7002, type: 'udp'},
  {ip: '0.0.0.0', privatePort: 7001, publicPort: 7001, type: 'udp'},
  {ip: '0.0.0.0', privatePort: 7000, publicPort: 7000, type: 'udp'},
  {ip: '::', privatePort: 7000, publicPort: 7000, type: 'udp'},
  {ip: '::', privatePort: 7001, publicPort: 7001, type: 'udp'},
  {ip: '0.0.0.0', privatePort: 7002, publicPort: 7002, type: 'udp'},
  {ip: '::1', privatePort: 6000, publicPort: 6000, type: 'tcp'},
]

describe('docker ps columns', () => {
  it('groups and orders ports exactly like docker ps', () => {
    expect(displayablePorts(probePorts)).toBe(
      '[::1]:6000->6000/tcp, 0.0.0.0:7000-7002->7000-7002/udp, [::]:7000-7002->7000-7002/udp, 0.0.0.0:32768->8080/tcp, [::]:32768->8080/tcp, 127.0.0.1:32772->9000/tcp',
    )
  })

  it('shows exposed-only ports and splits broken ranges (a closed range is emitted first: Docker\'s order)', () => {
    expect(displayablePorts([{privatePort: 80, type: 'tcp'}, {privatePort: 81, type: 'tcp'}, {privatePort: 83, type: 'tcp'}, {privatePort: 53, type: 'udp'}])).toBe('80-81/tcp, 53/udp, 83/tcp')
    expect(displayablePorts([])).toBe('')
  })

  it('words durations like go-units (truncating, not rounding)', () => {
    expect(goHumanDuration(999)).toBe('Less than a second')
    expect(goHumanDuration(1999)).toBe('1 second')
    expect(goHumanDuration(59_999)).toBe('59 seconds')
    expect(goHumanDuration(119_000)).toBe('About a minute')
    expect(goHumanDuration(45 * 60_000)).toBe('45 minutes')
    expect(goHumanDuration(90 * 60_000)).toBe('2 hours')
    expect(goHumanDuration(3 * 86_400_000)).toBe('3 days')
    expect(goHumanDuration(20 * 86_400_000)).toBe('2 weeks')
    expect(goHumanDuration(100 * 86_400_000)).toBe('3 months')
    expect(goHumanDuration(800 * 86_400_000)).toBe('2 years')
  })

  it('quotes and ellipsises commands like the formatter', () => {
    expect(goQuote(ellipsis('httpd -f -p 8080', 20))).toBe('"httpd -f -p 8080"')
    expect(goQuote(ellipsis('sh -c \'while true; do sleep 1; done\'', 20))).toBe('"sh -c \'while true; …"')
    expect(goQuote('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"')
  })

  it('shows link names only without truncation', () => {
    expect(displayNames(['app/db', 'db'], true)).toBe('db')
    expect(displayNames(['app/db', 'db'], false)).toBe('app/db,db')
  })

  it('shows familiar image names or short ids', () => {
    expect(displayImage('docker.io/library/busybox:latest@sha256:abc', 'sha256:1234', true)).toBe('busybox:latest')
    expect(displayImage('sha256:3092e3fe5f6d1234567890', 'sha256:3092e3fe5f6d1234567890', true)).toBe('3092e3fe5f6d')
    expect(displayImage('', 'x', true)).toBe('<no image>')
    expect(truncateId('sha256:0123456789abcdef')).toBe('0123456789ab')
  })

  it('lays the table out like Go\'s tabwriter (min width 10, padding 3)', () => {
    const now = Date.parse('2026-01-01T00:10:00Z')
    const text = psTable(
      [{id: 'c2c5d52b0b4f6a63', image: 'busybox', imageId: 'sha256:3092', command: 'sleep 60', created: now / 1000 - 5, state: 'running', status: 'Up 4 seconds', names: ['dkt-a'], ports: [], labels: {}}],
      {now},
    )
    expect(text).toBe(
      [
        'CONTAINER ID   IMAGE     COMMAND      CREATED         STATUS         PORTS     NAMES',
        'c2c5d52b0b4f   busybox   "sleep 60"   5 seconds ago   Up 4 seconds             dkt-a',
      ].join('\n'),
    )
  })
})

describe('docker port', () => {
  const ports = portsFromInspect({
    '9000/tcp': [{HostIp: '127.0.0.1', HostPort: '32772'}],
    '8080/tcp': [{HostIp: '0.0.0.0', HostPort: '32768'}, {HostIp: '::', HostPort: '32768'}],
    '7000/udp': [{HostIp: '::', HostPort: '7000'}, {HostIp: '0.0.0.0', HostPort: '7000'}],
    '6000/tcp': [{HostIp: '::1', HostPort: '6000'}],
    '5000/tcp': null,
  })

  it('sorts lines in natural order, as docker port prints them', () => {
    expect(ports.map(portLine)).toEqual([
      '6000/tcp -> [::1]:6000',
      '7000/udp -> 0.0.0.0:7000',
      '7000/udp -> [::]:7000',
      '8080/tcp -> 0.0.0.0:32768',
      '8080/tcp -> [::]:32768',
      '9000/tcp -> 127.0.0.1:32772',
    ])
  })

  it('selects one port, tcp by default', () => {
    expect(selectPort(ports, '8080', 'web').map((p) => joinHostPort(p.hostIp, p.hostPort))).toEqual(['0.0.0.0:32768', '[::]:32768'])
    expect(selectPort(ports, '7000/udp', 'web')).toHaveLength(2)
    expect(() => selectPort(ports, '7000', 'web')).toThrow(WorkFailedError)
    expect(() => selectPort(ports, '7000', 'web')).toThrow("No public port '7000' published for web.")
    expect(() => selectPort(ports, 'http', 'web')).toThrow(UsageError)
  })

  it('natural order compares digit runs as numbers', () => {
    expect(naturalLess('9000/tcp', '10000/tcp')).toBe(true)
    expect(naturalLess('a2', 'a10')).toBe(true)
    expect(naturalLess('a10', 'a2')).toBe(false)
    expect(naturalLess('a', 'ab')).toBe(true)
    expect(naturalLess('1 -> 0.0.0.0', '1 -> [::]')).toBe(true)
  })
})

describe('demux', () => {
  const frame = (type: number, text: string) => {
    const payload = Buffer.from(text)
    const header = Buffer.alloc(8)
    header[0] = type
    header.writeUInt32BE(payload.length, 4)
    return Buffer.concat([header, payload])
  }

  it('splits stdout and stderr frames, also when a frame spans chunks', async () => {
    const source = new PassThrough()
    const out = new PassThrough()
    const errs = new PassThrough()
    const outChunks: string[] = []
    const errChunks: string[] = []
    out.on('data', (c) => outChunks.push(String(c)))
    errs.on('data', (c) => errChunks.push(String(c)))
    const done = demux(source, out, errs)
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops\n'), frame(1, 'world\n')])
    source.write(all.subarray(0, 5))
    source.write(all.subarray(5, 17))
    source.end(all.subarray(17))
    await done
    expect(outChunks.join('')).toBe('hello world\n')
    expect(errChunks.join('')).toBe('oops\n')
  })

  it('pauses the source while a destination is full', async () => {
    const source = new PassThrough()
    const slow = new PassThrough({highWaterMark: 4})
    const done = demux(source, slow, new PassThrough())
    source.write(frame(1, 'x'.repeat(64)))
    await new Promise((r) => setImmediate(r))
    expect(source.isPaused()).toBe(true)
    slow.resume()
    source.end()
    await done
    expect(source.isPaused()).toBe(false)
  })
})
