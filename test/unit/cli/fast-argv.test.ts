/**
 * The fast parser's accept/decline decisions, and for every accepted command line the proof that
 * oclif's own parser (with the flags the adapters generate from the same specs) gives the same
 * flags, args and argv. A declined line costs only speed; an accepted one that oclif reads
 * differently would be a silent behaviour change, so every accepted row is checked against oclif.
 */
import {readFileSync, readdirSync} from 'node:fs'

import {Flags, Parser} from '@oclif/core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {build} from '../../../src/cli/commands/build.js'
import {lint} from '../../../src/cli/commands/lint.js'
import {load} from '../../../src/cli/commands/load.js'
import {save} from '../../../src/cli/commands/save.js'
import type {CommandSpec} from '../../../src/cli/command-spec.js'
import {parseFast} from '../../../src/cli/fast-argv.js'
import {environmentDeclines, fastCommands, userPluginsFile} from '../../../src/cli/fast-path.js'
import {oclifArgs, oclifFlags} from '../../../src/cli/oclif-spec.js'

const specs = {save, load, build, lint} as unknown as Record<string, CommandSpec>

async function oclifParse(spec: CommandSpec, argv: string[]) {
  const flags = {...oclifFlags(spec.flags), json: Flags.boolean({description: 'Format output as json.', helpGroup: 'GLOBAL'})}
  const output = await Parser.parse(argv, {flags, args: oclifArgs(spec.args), strict: spec.strict ?? true})
  return {flags: output.flags, args: output.args, argv: output.argv}
}

// oclif reads a missing word from standard input when it is not a terminal; these rows are about
// the grammar, so both parsers see a terminal.
let wasTTY: boolean | undefined
beforeAll(() => {
  wasTTY = process.stdin.isTTY
  Object.defineProperty(process.stdin, 'isTTY', {value: true, configurable: true, writable: true})
})
afterAll(() => {
  Object.defineProperty(process.stdin, 'isTTY', {value: wasTTY, configurable: true, writable: true})
})

const accepted: Array<[string, string[], boolean?]> = [
  ['save', ['busybox']],
  ['save', ['-o', 'x.tar', 'busybox']],
  ['save', ['-ox.tar', 'busybox']],
  ['save', ['-o=x.tar', 'busybox']],
  ['save', ['--output', 'x.tar', 'busybox', 'debian:bookworm']],
  ['save', ['--output=x.tar', '--gzip', 'busybox']],
  ['save', ['busybox', '--json', '-o', 'x.tar'], true],
  ['save', ['-o', '-', 'busybox']],
  ['save', ['-H', 'unix:///x.sock', 'busybox']],
  ['save', ['-Hunix:///x.sock', 'busybox']],
  ['save', ['--host=tcp://h:1', 'busybox']],
  ['save', ['--gzip', '--gzip', 'busybox']],
  ['save', ['b', 'a', 'b', 'c']],
  ['save', ['-o', 'b', 'a', 'b']],
  ['save', ['--', '--json', '-x']],
  ['save', ['--json', '-o', 'x.tar', '--', 'busybox'], true],
  ['load', []],
  ['load', ['-i', 'x.tar']],
  ['load', ['-q', '-i', 'x.tar', '--json'], true],
  ['load', ['-ix.tar', '-q']],
  ['load', ['--input=-']],
  ['build', []],
  ['build', ['.']],
  ['build', ['-t', 'a', '-t', 'b', '--build-arg', 'A=1', '--label', 'k=v', 'ctx']],
  ['build', ['ctx', '-t', 'a', '-f', '-']],
  ['build', ['-f', '-', '.']],
  ['build', ['-q', '--no-lint', '--no-cache', '--pull', '--iidfile', 'id', '--network', 'none', '--target', 'base', '.']],
  ['build', ['--json', '-t', 'web', '.'], true],
  ['build', ['-t', 'a', 'ctx', '-t', 'b']],
  ['build', ['--', 'ctx']],
  ['lint', []],
  ['lint', ['Dockerfile']],
  ['lint', ['-', '--ignore', 'DK118']],
  ['lint', ['a', 'b', 'c']],
  ['lint', ['-f', 'json', '-t', 'error', 'Dockerfile']],
  ['lint', ['--format=sarif', '--failure-threshold=info', '.']],
  ['lint', ['--ignore', 'DK1', 'Dockerfile']],
  ['lint', ['--ignore', 'DK1', 'DK2', '--fix', 'Dockerfile']],
  ['lint', ['--ignore', 'DK1', '-f', 'json', 'Dockerfile']],
  ['lint', ['--ignore=DK1', '--', 'Dockerfile']],
  ['lint', ['-c', 'x', 'b', 'x']],
  ['lint', ['--profile', 'deis', '--no-fail', '--fix-dry-run']],
  ['lint', ['--explain', 'DK105']],
  ['lint', ['--list-rules', '--json'], true],
  ['lint', ['Dockerfile', '--', '--json'], false],
]

describe('parseFast accepts, and agrees with oclif', () => {
  it.each(accepted)('%s %j', async (id, argv, json = false) => {
    const fast = parseFast(specs[id], argv, {stdinIsTTY: true})
    expect(fast).toMatchObject({ok: true})
    if (!fast.ok) return
    expect(fast.parsed.json).toBe(json)
    const {json: _json, ...rest} = fast.parsed
    expect(rest).toEqual(await oclifParse(specs[id], argv))
  })
})

const declined: Array<[string, string[], RegExp]> = [
  ['save', ['--help'], /--help/],
  ['save', ['-o', '--help', 'busybox'], /--help/],
  ['save', [], /missing image/],
  ['save', ['-h'], /unknown flag/],
  ['save', ['--jsn', 'busybox'], /unknown flag/],
  ['save', ['--gzip=true', 'busybox'], /boolean/],
  ['save', ['-o'], /without a value/],
  ['save', ['-o', '', 'busybox'], /empty value/],
  ['save', ['-o=', 'busybox'], /empty value/],
  ['save', ['-o', '--json', 'busybox'], /followed by --json/],
  ['save', ['-o', 'a', '-o', 'b', 'busybox'], /given twice/],
  ['save', ['-1'], /unknown flag/],
  ['load', ['extra'], /too many/],
  ['load', ['-qi', 'x.tar'], /boolean/],
  ['load', ['--no-quiet'], /unknown flag/],
  ['build', ['a', 'b'], /too many/],
  ['build', ['-t'], /without a value/],
  ['build', ['--nocache', '.'], /unknown flag/],
  ['lint', ['-f', 'yaml'], /not one of its options/],
  ['lint', ['--profile=other'], /not one of its options/],
  ['lint', ['--format', 'json', '--format', 'sarif'], /given twice/],
  ['lint', ['-x'], /unknown flag/],
]

describe('parseFast declines what it cannot parse exactly as oclif does', () => {
  it.each(declined)('%s %j', (id, argv, reason) => {
    const fast = parseFast(specs[id], argv, {stdinIsTTY: true})
    expect(fast.ok).toBe(false)
    if (!fast.ok) expect(fast.reason).toMatch(reason)
  })

  it('declines a missing word when standard input is not a terminal, unless the argument ignores standard input', () => {
    const reading = {...build, args: {dir: {...build.args.dir, ignoreStdin: false}}}
    expect(parseFast(reading, ['-f', '-'], {stdinIsTTY: false})).toMatchObject({ok: false, reason: /standard input/})
    expect(parseFast(reading, ['-f', '-', '.'], {stdinIsTTY: false})).toMatchObject({ok: true})
    expect(parseFast(load, [], {stdinIsTTY: false})).toMatchObject({ok: true})
    // dk's arguments never come from standard input (only `-` reads it), so piped runs stay fast.
    expect(parseFast(lint, [], {stdinIsTTY: false})).toMatchObject({ok: true})
    expect(parseFast(build, ['-f', '-'], {stdinIsTTY: false})).toMatchObject({ok: true, parsed: {args: {dir: '.'}}})
  })

  it('every declined row is also one oclif refuses or reads differently, or help', async () => {
    // Not a requirement of the fast path (declining is always safe), but a sign that the rules are
    // not stricter than they need to be: most declined lines are oclif usage errors.
    const refused = await Promise.all(
      declined.map(async ([id, argv]) =>
        oclifParse(specs[id], argv).then(
          () => false,
          () => true,
        ),
      ),
    )
    expect(refused.filter(Boolean).length).toBeGreaterThanOrEqual(declined.length - 6)
  })
})

describe('environmentDeclines', () => {
  it('lets an ordinary environment through', () => {
    expect(environmentDeclines({})).toBeUndefined()
    expect(environmentDeclines({NODE_ENV: 'production', DK_NO_FAST_PATH: '0', DEBUG: ''})).toBeUndefined()
  })

  it.each([
    [{DK_NO_FAST_PATH: '1'}],
    [{DEBUG: 'dk'}],
    [{DEBUG: '*'}],
    [{DK_DEBUG: '1'}],
    [{DK_CONTENT_TYPE: 'json'}],
    [{CLI_FLAGS_DEBUG: '1'}],
    [{NODE_ENV: 'development'}],
    [{NODE_ENV: 'test'}],
  ])('sends %j to oclif', (env) => {
    expect(environmentDeclines(env)).toBeTruthy()
  })
})

describe('userPluginsFile: where oclif would find user plugins (the fast path then declines)', () => {
  it('follows oclif: DK_DATA_DIR, then XDG_DATA_HOME/dk, then ~/.local/share/dk', () => {
    expect(userPluginsFile({DK_DATA_DIR: '/d', XDG_DATA_HOME: '/x', HOME: '/h'}, 'linux')).toBe('/d/package.json')
    expect(userPluginsFile({XDG_DATA_HOME: '/x', HOME: '/h'}, 'linux')).toBe('/x/dk/package.json')
    expect(userPluginsFile({HOME: '/h'}, 'darwin')).toBe('/h/.local/share/dk/package.json')
  })
})

describe('the fast commands', () => {
  const root = new URL('../../../', import.meta.url)

  it('are the same in bin/run.js (which decides whether to load the fast path) and in fast-path.ts', () => {
    const source = readFileSync(new URL('bin/run.js', root), 'utf8')
    const listed = /const FAST_COMMANDS = new Set\(\[([^\]]*)\]\)/.exec(source)?.[1]
    expect(listed?.split(',').map((id) => id.trim().replaceAll("'", '')).sort()).toEqual([...fastCommands].sort())
  })

  it('have no subcommands: oclif would read `dk lint x` as `lint:x` if commands/lint/x.ts existed', () => {
    const entries = readdirSync(new URL('commands/', root))
    for (const id of fastCommands) {
      expect(entries).toContain(`${id}.ts`)
      expect(entries).not.toContain(id)
    }
  })
})
