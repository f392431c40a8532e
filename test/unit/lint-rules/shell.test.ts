import {describe, expect, it} from 'vitest'

import {execForm} from '../../../src/dockerfile/exec-form.js'
import {parseDockerfile} from '../../../src/dockerfile/parse.js'
import {activeShell, aptGetCalls, effectiveArgv, parseArgs, parseShell, pipInstallCalls, runScript} from '../../../src/dockerfile/shell.js'

const argvs = (text: string) => parseShell(text).commands.map((c) => c.argv.map((w) => w.value))

function model(text: string) {
  const {model} = parseDockerfile(text)
  if (!model) throw new Error('no model')
  return model
}

describe('parseShell', () => {
  it('splits on &&, ||, ;, |, & and newlines', () => {
    expect(argvs('a 1 && b 2 || c; d | e & f\ng')).toEqual([['a', '1'], ['b', '2'], ['c'], ['d'], ['e'], ['f'], ['g']])
    const ops = parseShell('a && b || c; d | e').commands.map((c) => [c.before, c.after])
    expect(ops).toEqual([['', '&&'], ['&&', '||'], ['||', ';'], [';', '|'], ['|', '']])
  })

  it('keeps quoted operators and spaces inside one word', () => {
    expect(argvs(`echo "a && b" 'c | d' e\\;f`)).toEqual([['echo', 'a && b', 'c | d', 'e;f']])
  })

  it('marks expansions dynamic and keeps $(…) and backticks whole', () => {
    const [cmd] = parseShell('echo $(ls -a | wc -l) `id -u` "$HOME" plain').commands
    expect(cmd.argv.map((w) => [w.value, w.dynamic])).toEqual([
      ['echo', false],
      ['$(ls -a | wc -l)', true],
      ['`id -u`', true],
      ['$HOME', true],
      ['plain', false],
    ])
  })

  it('separates redirections from argv, file descriptors included', () => {
    const [cmd] = parseShell('make install 2>&1 >/dev/null').commands
    expect(cmd.argv.map((w) => w.value)).toEqual(['make', 'install'])
    expect(cmd.redirects.map((w) => w.value)).toEqual(['2', '>&', '1', '>', '/dev/null'])
  })

  it('drops leading assignments and reserved words from argv', () => {
    expect(argvs('DEBIAN_FRONTEND=noninteractive apt-get install -y x')).toEqual([['apt-get', 'install', '-y', 'x']])
    expect(argvs('if true; then ! false; fi')).toEqual([['true'], ['false'], []])
  })

  it('skips heredoc bodies inside a script', () => {
    expect(argvs('cat <<EOF > /etc/motd\nhello && sudo rm -rf /\nEOF\nls')).toEqual([['cat'], ['ls']])
    expect(argvs('cat <<-END\n\tbody\n\tEND\necho done')).toEqual([['cat'], ['echo', 'done']])
  })

  it('ignores comments and survives unterminated quotes', () => {
    expect(argvs('a # b && c\nd')).toEqual([['a'], ['d']])
    const r = parseShell(`echo "never closed && sudo x`)
    expect(r.incomplete).toBe(true)
    expect(r.commands).toHaveLength(1)
  })
})

describe('parseArgs and effectiveArgv', () => {
  it('expands short clusters and long =values, and stops at --', () => {
    const [cmd] = parseShell('apt-get -qy -o Dpkg::Options::=--force-confold --target-release=stable install -- -weird').commands
    const {options, operands} = parseArgs(cmd.argv.slice(1), new Set(['o', 'target-release']))
    expect(options.map((o) => [o.name, o.value])).toEqual([
      ['q', undefined],
      ['y', undefined],
      ['o', 'Dpkg::Options::=--force-confold'],
      ['target-release', 'stable'],
    ])
    expect(operands.map((w) => w.value)).toEqual(['install', '-weird'])
  })

  it('looks through sudo and env', () => {
    const [cmd] = parseShell('sudo -E -u root env -i A=1 apt-get install x').commands
    expect(effectiveArgv(cmd).map((w) => w.value)).toEqual(['apt-get', 'install', 'x'])
  })
})

describe('runScript', () => {
  it('joins continuation lines and skips comment lines inside them', () => {
    const m = model('FROM busybox:latest\nRUN --mount=type=cache,target=/var/cache/apt apt-get update \\\n  # why\n  && apt-get install -y x\n')
    const script = runScript(m, m.stages[0].instructions[0])!
    expect(script.source.text).toBe('apt-get update   && apt-get install -y x')
    const [install] = aptGetCalls(script, 'install')
    // `install` sits on line 4 (0-based 3), column 13.
    expect(script.source.positions[install.subcommand.start]).toEqual({line: 3, character: 13})
  })

  it('honours the escape directive', () => {
    const m = model('# escape=`\nFROM busybox:latest\nRUN echo a `\n  && echo b\n')
    expect(runScript(m, m.stages[0].instructions[0])!.commands.map((c) => c.argv[0].value)).toEqual(['echo', 'echo'])
  })

  it('uses a heredoc body as the script, but not a body fed to another program', () => {
    const m = model('FROM busybox:latest\nRUN <<EOF\nset -e\nsudo ls\nEOF\nRUN python3 <<EOF\nimport os; os.system("sudo x")\nEOF\n')
    const [shellBody, pythonBody] = m.stages[0].instructions.map((i) => runScript(m, i)!)
    expect(shellBody.fromHeredoc).toBe(true)
    expect(shellBody.commands.map((c) => c.argv[0].value)).toEqual(['set', 'sudo'])
    expect(pythonBody.commands.map((c) => c.argv[0].value)).toEqual(['python3'])
  })

  it('returns undefined for exec form', () => {
    const m = model('FROM busybox:latest\nRUN ["sh", "-c", "echo hi"]\n')
    expect(runScript(m, m.stages[0].instructions[0])).toBeUndefined()
  })

  it('finds pip through python -m pip', () => {
    const m = model('FROM busybox:latest\nRUN python3 -m pip install -r requirements.txt flask\n')
    const [call] = pipInstallCalls(runScript(m, m.stages[0].instructions[0])!)
    expect(call.packages.map((w) => w.value)).toEqual(['flask'])
  })

  it('tracks SHELL per stage and through FROM <stage>', () => {
    const m = model('FROM busybox:latest AS base\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a\nFROM base\nRUN b\nFROM busybox:latest\nRUN c\n')
    expect(activeShell(m, m.stages[1], m.stages[1].instructions[0])).toEqual(['/bin/ash', '-o', 'pipefail', '-c'])
    expect(activeShell(m, m.stages[2], m.stages[2].instructions[0])).toEqual(['/bin/sh', '-c'])
  })
})

describe('execForm', () => {
  it('keeps the whitespace dockerfile-ast strips, with exact ranges', () => {
    const m = model('FROM busybox:latest\nRUN ["apt-get", "install -y memcached"]\n')
    const elements = execForm(m, m.stages[0].instructions[0])!
    expect(elements.map((e) => e.value)).toEqual(['apt-get', 'install -y memcached'])
    expect(elements[1].range).toEqual({start: {line: 1, character: 16}, end: {line: 1, character: 38}})
    expect(elements[1].raw).toBe('"install -y memcached"')
  })

  it('decodes JSON escapes and spans continuation lines', () => {
    const m = model('FROM busybox:latest\nCMD ["sh", \\\n  "-c", "echo \\"a  b\\""]\n')
    expect(execForm(m, m.stages[0].instructions[0])!.map((e) => e.value)).toEqual(['sh', '-c', 'echo "a  b"'])
  })

  it('reads the exec form of HEALTHCHECK CMD after its flags', () => {
    const m = model('FROM busybox:latest\nHEALTHCHECK --interval=5s CMD ["wget", "-q -O", "-"]\n')
    const elements = execForm(m, m.stages[0].instructions[0])!
    expect(elements.map((e) => e.value)).toEqual(['wget', '-q -O', '-'])
    expect(elements[1].range.start).toEqual({line: 1, character: 39})
  })

  it('treats anything that is not a JSON array of strings as shell form', () => {
    const m = model("FROM busybox:latest\nCMD ['a', 'b']\nCMD [\"a\", 1]\nCMD [\"a\"] extra\n")
    for (const i of m.stages[0].instructions) expect(execForm(m, i)).toBeUndefined()
  })
})
