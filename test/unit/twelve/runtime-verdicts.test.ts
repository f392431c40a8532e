import {describe, expect, it} from 'vitest'

import {statelessChecks, stopCheck, writesOutsideTemp} from '../../../src/twelve/dynamic-checks.js'

describe('writesOutsideTemp (docker diff → the writes that matter)', () => {
  it('drops parent folders that docker diff marks changed and everything below temp paths', () => {
    const changes = [
      {path: '/app', kind: 'C' as const},
      {path: '/app/data', kind: 'A' as const},
      {path: '/app/data/hits', kind: 'A' as const},
      {path: '/tmp', kind: 'C' as const},
      {path: '/tmp/site', kind: 'A' as const},
      {path: '/run/app.pid', kind: 'A' as const},
      {path: '/etc/motd', kind: 'D' as const},
      {path: '/var/cache', kind: 'C' as const},
    ]
    expect(writesOutsideTemp(changes).map((c) => `${c.kind} ${c.path}`)).toEqual(['A /app/data', 'A /app/data/hits', 'D /etc/motd', 'C /var/cache'])
  })
})

describe('statelessChecks', () => {
  it('passes when only temp paths changed', () => {
    const checks = statelessChecks([{path: '/tmp', kind: 'C'}, {path: '/tmp/x', kind: 'A'}])
    expect(checks.map((c) => [c.factor, c.status])).toEqual([['VI', 'pass']])
  })

  it('fails VI with the paths, and XI too when the writes are log files', () => {
    const checks = statelessChecks([{path: '/var', kind: 'C'}, {path: '/var/log', kind: 'C'}, {path: '/var/log/app.log', kind: 'A'}])
    expect(checks.map((c) => [c.factor, c.id, c.status, c.evidence])).toEqual([
      ['VI', 'stateless', 'fail', ['A /var/log/app.log']],
      ['XI', 'no-log-files', 'fail', ['A /var/log/app.log']],
    ])
  })
})

describe('stopCheck', () => {
  it('passes a quick exit 0 or 143, fails 137 or a stop at the grace limit, warns on another code', () => {
    expect(stopCheck(250, 0).status).toBe('pass')
    expect(stopCheck(250, 143).status).toBe('pass')
    expect(stopCheck(3100, 137).status).toBe('fail')
    expect(stopCheck(3050, 0).status).toBe('fail')
    expect(stopCheck(400, 2).status).toBe('warn')
    expect(stopCheck(3100, 137).evidence).toEqual(['dk stop (SIGTERM, 3 s grace) took 3100 ms; exit code 137', 'exit code 137 = SIGKILL after the grace period'])
  })
})
