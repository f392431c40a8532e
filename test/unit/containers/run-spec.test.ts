import {describe, expect, it} from 'vitest'

import {UsageError} from '../../../src/cli/errors.js'
import {parseExecArgs} from '../../../src/engine/exec-spec.js'
import {parseEnvFile, parseLink, parseRestart, parseRunArgs, parseVolume, runArgsWantJson, validateName} from '../../../src/engine/run-spec.js'

const files: Record<string, string> = {
  'app.env': '# config\nPORT=8080\n  GREETING="hello world"  \nFROM_HOST\nMISSING\n\r\nEMPTY=\n',
  'bad.env': 'OK=1\nBAD KEY=2\n',
  'noname.env': 'A=1\n=2\n',
  'labels.txt': 'team=web\nnovalue\n',
}
const context = {env: {FROM_HOST: 'yes', HOME: '/root'}, readFile: (p: string) => {
  if (!(p in files)) throw Object.assign(new Error('ENOENT'), {code: 'ENOENT'})
  return files[p]
}}
const parse = (argv: string[]) => parseRunArgs(argv, context).spec

function usage(fn: () => unknown): UsageError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error('expected a UsageError')
}

describe('parseRunArgs: docker run grammar', () => {
  it('stops options at the image: flags after it belong to the command', () => {
    const spec = parse(['busybox', 'ls', '-l', '--rm', '-d'])
    expect(spec.image).toBe('busybox')
    expect(spec.cmd).toEqual(['ls', '-l', '--rm', '-d'])
    expect(spec.rm).toBe(false)
    expect(spec.detach).toBe(false)
  })

  it('keeps the image CMD when no command is given', () => {
    expect(parse(['-d', 'busybox']).cmd).toBeUndefined()
  })

  it('reads combined short flags, attached values and = forms', () => {
    const spec = parse(['-dit', '-p80', '-p=81:81', '--name=web', '-eA=1', '-e', 'B=2', '--rm=false', 'busybox'])
    expect(spec).toMatchObject({detach: true, interactive: true, tty: true, name: 'web', env: ['A=1', 'B=2'], rm: false})
    expect(spec.ports?.map((p) => [p.containerPort, p.hostPort])).toEqual([[80, ''], [81, '81']])
  })

  it('lets a value flag end a short group: -dp 8080:80', () => {
    const spec = parse(['-dp', '8080:80', 'busybox'])
    expect(spec.detach).toBe(true)
    expect(spec.ports?.[0]).toEqual({containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: '8080'})
  })

  it('treats -- as the end of options (the way to pass --help to a container)', () => {
    const spec = parse(['--rm', '--', 'busybox', 'ls', '--help'])
    expect(spec).toMatchObject({rm: true, image: 'busybox', cmd: ['ls', '--help']})
  })

  it('maps every supported flag', () => {
    const spec = parse([
      '-d', '-P', '--expose', '9000-9001', '--name', 'app', '--link', 'db:database', '--link', 'cache',
      '-v', '/srv/data:/data:ro', '-v', 'vol1:/v', '-v', '/anon', '-w', '/app', '-u', 'app', '--entrypoint', '',
      '--init', '--restart', 'on-failure:3', '-l', 'a=1', '--label', 'b', '--network', 'bridge', '--stop-timeout', '5',
      '--stop-signal', 'SIGUSR1', '-h', 'box', '--sig-proxy=false', 'busybox', 'sh',
    ])
    expect(spec).toMatchObject({
      detach: true, publishAll: true, expose: ['9000/tcp', '9001/tcp'], name: 'app',
      links: [{name: 'db', alias: 'database'}, {name: 'cache', alias: 'cache'}],
      workdir: '/app', user: 'app', entrypoint: '', init: true, restart: {name: 'on-failure', maximumRetryCount: 3},
      labels: {a: '1', b: ''}, network: 'bridge', stopTimeout: 5, stopSignal: 'SIGUSR1', hostname: 'box', sigProxy: false, cmd: ['sh'],
    })
    expect(spec.volumes?.map((v) => [v.type, v.source, v.target, v.readOnly])).toEqual([
      ['bind', '/srv/data', '/data', true],
      ['volume', 'vol1', '/v', false],
      ['anonymous', undefined, '/anon', false],
    ])
  })

  it('defaults sig-proxy to true and accepts --net as --network', () => {
    expect(parse(['--net', 'host', 'busybox'])).toMatchObject({sigProxy: true, network: 'host'})
  })

  it('puts env files first so that -e wins, and copies -e NAME from the environment', () => {
    const spec = parse(['--env-file', 'app.env', '-e', 'PORT=9090', '-e', 'FROM_HOST', '-e', 'UNSET_HERE', 'busybox'])
    expect(spec.env).toEqual(['PORT=8080', 'GREETING="hello world"  ', 'FROM_HOST=yes', 'EMPTY=', 'PORT=9090', 'FROM_HOST=yes', 'UNSET_HERE'])
  })

  it('reads label files (lines without = are dropped, as docker does)', () => {
    expect(parse(['--label-file', 'labels.txt', '-l', 'x=y', 'busybox']).labels).toEqual({team: 'web', x: 'y'})
  })

  it('finds --json only among dk\'s options', () => {
    expect(runArgsWantJson(['--json', '-d', 'busybox'])).toBe(true)
    expect(runArgsWantJson(['-d', 'busybox', 'echo', '--json'])).toBe(false)
    expect(parseRunArgs(['-H', 'unix:///x.sock', 'busybox'], context).host).toBe('unix:///x.sock')
  })

  it.each([
    [[], '"dk run" requires at least 1 argument: the image to run.'],
    [['--nope', 'busybox'], 'unknown flag: --nope'],
    [['-dx', 'busybox'], "unknown shorthand flag: 'x' in -dx"],
    [['busybox', '--name'], undefined],
    [['--name'], 'flag needs an argument: --name'],
    [['-p'], "flag needs an argument: 'p' in -p"],
    [['--rm=maybe', 'busybox'], 'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['--stop-timeout', 'soon', 'busybox'], 'invalid argument "soon" for "--stop-timeout" flag: strconv.ParseInt: parsing "soon": invalid syntax'],
    [['-p', 'abc', 'busybox'], 'Invalid port spec "abc": invalid containerPort: abc.'],
    [['--rm', '--restart', 'always', 'busybox'], 'Conflicting options: --restart and --rm.'],
    [['-w', 'app', 'busybox'], 'The working directory "app" is invalid: it needs to be an absolute path.'],
    [['--name', 'a', 'busybox'], undefined],
  ])('%j is a usage error', (argv, message) => {
    if (message === undefined) {
      // Not an error: "busybox --name" is the image and its command; a one-letter name is Docker-invalid.
      if (argv[0] === 'busybox') expect(parse(argv).cmd).toEqual(['--name'])
      else expect(() => parse(argv)).toThrow(/Invalid container name "a"/)
      return
    }
    expect(usage(() => parse(argv)).message).toBe(message)
  })
})

describe('env files (docker\'s format)', () => {
  it('reports whitespace in a name with file:line:column', () => {
    const error = usage(() => parseEnvFile('bad.env', context.readFile, {}))
    expect(error.message).toBe("Variable 'BAD KEY' contains whitespaces.")
    expect(error.location).toBe('bad.env:2:4')
  })

  it('reports a line with no name', () => {
    const error = usage(() => parseEnvFile('noname.env', context.readFile, {}))
    expect(error.message).toBe("No variable name on line '=2'.")
    expect(error.location).toBe('noname.env:2:1')
  })

  it('says which env file is missing (exit 4)', () => {
    let caught: any
    try {
      parse(['--env-file', 'nope.env', 'busybox'])
    } catch (error) {
      caught = error
    }
    expect(caught.exitCode).toBe(4)
    expect(caught.message).toContain('nope.env')
  })
})

describe('volumes, links, restart, names', () => {
  it('refuses relative host paths like Docker 20.10, with the absolute form as the hint', () => {
    const error = usage(() => parseVolume('./data:/data'))
    expect(error.message).toContain('"./data" includes invalid characters for a local volume name')
    expect(error.message).toContain('use absolute path')
    expect(error.hint).toContain('$(pwd)/data:/data')
  })

  it.each([
    ['/data', 'anonymous'],
    ['/a:/b', 'bind'],
    ['/a:/b:ro,z', 'bind'],
    ['name_1.x:/b', 'volume'],
  ])('%s is a %s mount', (raw, type) => {
    expect(parseVolume(raw).type).toBe(type)
  })

  it.each(['data', '/a:b', '/a:/', '/a:/b:rx', 'a:b:c:d', ':/b'])('%s is invalid', (raw) => {
    expect(() => parseVolume(raw)).toThrow(UsageError)
  })

  it('understands Windows drive letters on a Windows client', () => {
    expect(parseVolume('C:\\Users\\me:/data', 'win32')).toMatchObject({type: 'bind', source: 'C:\\Users\\me', target: '/data'})
  })

  it('parses links with and without alias', () => {
    expect(parseLink('db')).toEqual({name: 'db', alias: 'db'})
    expect(parseLink('/db:database')).toEqual({name: 'db', alias: 'database'})
    expect(() => parseLink('a:b:c')).toThrow(UsageError)
    expect(() => parseLink('db:')).toThrow(UsageError)
  })

  it('parses restart policies', () => {
    expect(parseRestart('no')).toEqual({name: 'no', maximumRetryCount: 0})
    expect(parseRestart('always')).toEqual({name: 'always', maximumRetryCount: 0})
    expect(parseRestart('unless-stopped').name).toBe('unless-stopped')
    expect(parseRestart('on-failure:5')).toEqual({name: 'on-failure', maximumRetryCount: 5})
    expect(() => parseRestart('always:3')).toThrow(/maximum retry count cannot be used/)
    expect(() => parseRestart('sometimes')).toThrow(UsageError)
    expect(() => parseRestart('on-failure:x')).toThrow(UsageError)
  })

  it('validates container names like docker', () => {
    expect(validateName('/web-1')).toBe('web-1')
    expect(() => validateName('-web')).toThrow(UsageError)
    expect(() => validateName('we b')).toThrow(UsageError)
  })
})

describe('parseExecArgs', () => {
  it('stops options at the container', () => {
    const {spec} = parseExecArgs(['-it', '-e', 'A=1', '-u', 'app', '-w', '/tmp', 'web', 'ls', '-l'], {})
    expect(spec).toEqual({container: 'web', cmd: ['ls', '-l'], interactive: true, tty: true, detach: false, env: ['A=1'], user: 'app', workdir: '/tmp'})
  })

  it('needs a container and a command', () => {
    expect(() => parseExecArgs(['web'], {})).toThrow(/requires at least 2 arguments/)
    expect(() => parseExecArgs(['-p', 'web', 'ls'], {})).toThrow(/unknown shorthand flag: 'p' in -p/)
  })
})
