import {describe, expect, it} from 'vitest'

import {createOptions} from '../../../src/engine/containers.js'
import {parseRunArgs} from '../../../src/engine/run-spec.js'

const options = (...argv: string[]) => createOptions(parseRunArgs(argv, {env: {}}).spec)

describe('createOptions: docker run flags → the Engine API create request', () => {
  it('maps ports, links, mounts, restart and labels the way the docker CLI sends them', () => {
    const o = options(
      '-d', '--rm', '--name', 'web', '-p', '127.0.0.1:8000:80', '-p', '8001:80', '-p', '53/udp', '-P', '--expose', '9000',
      '--link', 'db:database', '-v', '/srv:/srv:ro', '-v', 'data:/data', '-v', '/anon', '-l', 'team=a', '--init',
      '--stop-timeout', '3', 'busybox', 'httpd', '-f',
    )
    expect(o).toMatchObject({
      name: 'web',
      Image: 'busybox',
      Cmd: ['httpd', '-f'],
      Labels: {'io.dk.managed': 'true', team: 'a'},
      AttachStdout: false,
      AttachStderr: false,
      OpenStdin: false,
      StopTimeout: 3,
      ExposedPorts: {'80/tcp': {}, '53/udp': {}, '9000/tcp': {}},
      Volumes: {'/anon': {}},
      HostConfig: {
        AutoRemove: true,
        PublishAllPorts: true,
        Init: true,
        Links: ['db:database'],
        Binds: ['/srv:/srv:ro', 'data:/data'],
        NetworkMode: 'default',
        PortBindings: {
          '80/tcp': [{HostIp: '127.0.0.1', HostPort: '8000'}, {HostIp: '', HostPort: '8001'}],
          '53/udp': [{HostIp: '', HostPort: ''}],
        },
      },
    })
  })

  it('attaches stdout/stderr in the foreground, stdin only with -i (closed with it)', () => {
    expect(options('busybox')).toMatchObject({AttachStdout: true, AttachStderr: true, AttachStdin: false, OpenStdin: false, Tty: false})
    expect(options('-it', 'busybox')).toMatchObject({AttachStdin: true, OpenStdin: true, StdinOnce: true, Tty: true})
    // Detached with -i: stdin stays open for a later attach, nothing is attached now.
    expect(options('-di', 'busybox')).toMatchObject({AttachStdin: false, OpenStdin: true, StdinOnce: false})
  })

  it('keeps the image defaults unless flags override them', () => {
    const o = options('busybox')
    expect(o.Cmd).toBeUndefined()
    expect(o.Entrypoint).toBeUndefined()
    expect(o.HostConfig?.RestartPolicy).toBeUndefined()
    expect(options('--entrypoint', '', 'busybox').Entrypoint).toEqual([''])
    expect(options('--restart', 'on-failure:2', 'busybox').HostConfig?.RestartPolicy).toEqual({Name: 'on-failure', MaximumRetryCount: 2})
  })
})
