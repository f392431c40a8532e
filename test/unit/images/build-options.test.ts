import {describe, expect, it} from 'vitest'

import {baseImages, expand, registryHost} from '../../../src/engine/build-from.js'
import {parseBuildArgs, parseLabels} from '../../../src/engine/build.js'
import {ellipsis, splitReference, validateTagReference} from '../../../src/engine/images.js'

describe('baseImages', () => {
  const multi = ['ARG BASE=busybox', 'ARG TAG', 'FROM $BASE:${TAG:-latest} AS build', 'RUN true', 'FROM build AS test', 'FROM scratch', 'COPY --from=build / /', 'FROM debian:bookworm AS final', 'FROM ${NOPE}'].join('\n')

  it('lists base images with their location, skipping stages, scratch and unresolvable variables', async () => {
    const plan = await baseImages(multi, 'Dockerfile')
    expect(plan.images.map((i) => [i.image, i.location])).toEqual([
      ['busybox:latest', 'Dockerfile:3:6'],
      ['debian:bookworm', 'Dockerfile:8:6'],
    ])
    expect(plan.stageNames).toEqual(['build', 'test', undefined, 'final', undefined])
  })

  it('stops at the target stage and applies build args to the ARGs before FROM', async () => {
    const plan = await baseImages(multi, 'Dockerfile', {target: 'TEST', buildArgs: {BASE: 'alpine', TAG: '3'}})
    expect(plan.images.map((i) => i.image)).toEqual(['alpine:3'])
  })

  it('refuses a target that is not a stage', async () => {
    await expect(baseImages(multi, 'Dockerfile', {target: 'nope'})).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('"nope"')})
  })

  it('ignores ARGs after the first FROM (Docker scoping)', async () => {
    const plan = await baseImages('FROM busybox\nARG X=debian\nFROM $X', 'f')
    expect(plan.images.map((i) => i.image)).toEqual(['busybox'])
  })
})

describe('expand', () => {
  it('follows the shell forms Docker supports in FROM', () => {
    expect(expand('${A}:${B:-x}', {A: 'a'})).toBe('a:x')
    expect(expand('$A${B:+-suffix}', {A: 'a', B: '1'})).toBe('a-suffix')
    expect(expand('$A', {})).toBeUndefined()
  })
})

describe('registryHost', () => {
  it('tells Docker Hub names from registry hosts', () => {
    expect(registryHost('busybox')).toBe('registry-1.docker.io')
    expect(registryHost('team/app')).toBe('registry-1.docker.io')
    expect(registryHost('localhost:5000/app')).toBe('localhost')
    expect(registryHost('ghcr.io/org/app:1')).toBe('ghcr.io')
  })
})

describe('--build-arg and --label', () => {
  it('takes K=V, and K alone from the environment (dropped when unset), like docker build', () => {
    expect(parseBuildArgs(['A=1', 'B', 'C', 'D=x=y', 'E='], {B: 'from-env'})).toEqual({A: '1', B: 'from-env', D: 'x=y', E: ''})
    expect(() => parseBuildArgs(['=1'])).toThrow(/name is empty/)
  })
  it('gives a label without = an empty value', () => {
    expect(parseLabels(['a=b', 'c'])).toEqual({a: 'b', c: ''})
  })
})

describe('image references', () => {
  it('splits repository and tag, registry ports included', () => {
    expect(splitReference('busybox')).toEqual({repository: 'busybox', tag: 'latest'})
    expect(splitReference('localhost:5000/team/app:1.2')).toEqual({repository: 'localhost:5000/team/app', tag: '1.2'})
    expect(splitReference('localhost:5000/app')).toEqual({repository: 'localhost:5000/app', tag: 'latest'})
  })
  it('refuses names the engine would refuse', () => {
    expect(validateTagReference('team/app:1.0')).toEqual({repository: 'team/app', tag: '1.0'})
    expect(() => validateTagReference('App')).toThrow(/lower-case/)
    expect(() => validateTagReference('app:-x')).toThrow(/Invalid tag/)
    expect(() => validateTagReference('a b')).toThrow(/Invalid image name/)
    expect(() => validateTagReference('app@sha256:abc')).toThrow(/digest/)
  })
  it("truncates like docker's history (ellipsis as last character)", () => {
    expect(ellipsis('x'.repeat(45), 45)).toBe('x'.repeat(45))
    expect(ellipsis('x'.repeat(46), 45)).toBe(`${'x'.repeat(44)}…`)
  })
})

describe("Docker's CREATED wording (go-units HumanDuration)", async () => {
  const {humanDuration} = await import('../../../src/cli/output.js')
  it('truncates seconds and minutes and rounds hours as docker does', () => {
    const cases: Array<[number, string]> = [
      [999, 'Less than a second'],
      [1500, '1 second'],
      [59_900, '59 seconds'],
      [60_000, 'About a minute'],
      [119_000, 'About a minute'],
      [120_000, '2 minutes'],
      [59 * 60_000 + 59_000, '59 minutes'],
      [60 * 60_000, 'About an hour'],
      [90 * 60_000, '2 hours'],
      [47 * 3_600_000, '47 hours'],
      [48 * 3_600_000, '2 days'],
      [14 * 24 * 3_600_000, '2 weeks'],
      [60 * 24 * 3_600_000, '2 months'],
      [2 * 365 * 24 * 3_600_000, '2 years'],
    ]
    for (const [ms, text] of cases) expect([ms, humanDuration(ms)]).toEqual([ms, text])
  })
})
