import {describe, expect, it} from 'vitest'

import {type BuildEvent, BuildStreamDecoder, dockerContextSize, sendingContextLine} from '../../../src/engine/build-stream.js'

// Recorded from dockerd 20.10 (POST /build, classic builder) for:
//   FROM busybox / RUN echo hello && echo err >&2 / RUN exit 3
const failing = [
  '{"stream":"Step 1/3 : FROM busybox"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 3092e3fe5f6d\\n"}',
  '{"stream":"Step 2/3 : RUN echo hello \\u0026\\u0026 echo err \\u003e\\u00262"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 31dfa5992a4a\\n"}',
  '{"stream":"hello\\n"}',
  '{"stream":"\\u001b[91merr\\n\\u001b[0m"}',
  '{"stream":"Removing intermediate container 31dfa5992a4a\\n"}',
  '{"stream":" ---\\u003e b4f4a72b8bc2\\n"}',
  '{"stream":"Step 3/3 : RUN exit 3"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in a86bc2d5418a\\n"}',
  '{"stream":"Removing intermediate container a86bc2d5418a\\n"}',
  '{"errorDetail":{"code":3,"message":"The command \'/bin/sh -c exit 3\' returned a non-zero code: 3"},"error":"The command \'/bin/sh -c exit 3\' returned a non-zero code: 3"}',
].join('\r\n')

const success = [
  '{"stream":"Step 1/2 : FROM busybox"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 3092e3fe5f6d\\n"}',
  '{"stream":"Step 2/2 : LABEL a=b"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Using cache\\n"}',
  '{"stream":" ---\\u003e c76f23b5a596\\n"}',
  '{"aux":{"ID":"sha256:c76f23b5a5961c69ab8b66818ca93491bd1c6c0dbbf760bced6e5319e9f921e0"}}',
  '{"stream":"Successfully built c76f23b5a596\\n"}',
  '{"stream":"Successfully tagged dkt-img:latest\\n"}',
  '{"stream":"[Warning] One or more build-args [UNUSED] were not consumed\\n"}',
].join('\r\n')

function decode(text: string, chunkSize = text.length): {decoder: BuildStreamDecoder; events: BuildEvent[]} {
  const events: BuildEvent[] = []
  const decoder = new BuildStreamDecoder((e) => events.push(e))
  for (let i = 0; i < text.length; i += chunkSize) decoder.push(Buffer.from(text.slice(i, i + chunkSize)))
  decoder.end()
  return {decoder, events}
}

describe('BuildStreamDecoder', () => {
  it('keeps a UTF-8 character that the socket split between two chunks', () => {
    const bytes = Buffer.from('{"stream":"Step 1/1 : RUN echo héllo ✓\\n"}\r\n{"stream":"héllo ✓\\n"}\r\n', 'utf8')
    const events: BuildEvent[] = []
    const decoder = new BuildStreamDecoder((e) => events.push(e))
    for (let i = 0; i < bytes.length; i++) decoder.push(bytes.subarray(i, i + 1))
    decoder.end()
    expect(decoder.steps[0].instruction).toBe('RUN echo héllo ✓')
    expect(events.filter((e) => e.type === 'output')).toEqual([{type: 'output', text: 'héllo ✓', stderr: false}])
  })

  it('finds the failing step, its command, exit status and output in an HTTP-200 stream', () => {
    const {decoder, events} = decode(failing)
    expect(decoder.error).toEqual({message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3", exitCode: 3})
    expect(decoder.id).toBeUndefined()
    expect(decoder.currentStep?.number).toBe(3)
    expect(decoder.currentStep?.instruction).toBe('RUN exit 3')
    expect(decoder.steps[1].output).toEqual(['hello', 'err'])
    expect(events.filter((e) => e.type === 'output')).toEqual([
      {type: 'output', text: 'hello', stderr: false},
      {type: 'output', text: 'err', stderr: true},
    ])
    expect(events.at(-1)).toEqual({type: 'error', message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3", exitCode: 3})
  })

  it('gives the same result whatever the chunking of the response', () => {
    const whole = decode(failing)
    for (const size of [1, 7, 64]) {
      const chunked = decode(failing, size)
      expect(chunked.events).toEqual(whole.events)
    }
  })

  it('reads the image id, tags, cache hits and builder warnings of a successful build', () => {
    const {decoder, events} = decode(success, 13)
    expect(decoder.error).toBeUndefined()
    expect(decoder.id).toBe('sha256:c76f23b5a5961c69ab8b66818ca93491bd1c6c0dbbf760bced6e5319e9f921e0')
    expect(decoder.tags).toEqual(['dkt-img:latest'])
    expect(decoder.warnings).toEqual(['One or more build-args [UNUSED] were not consumed'])
    expect(decoder.steps.map((s) => [s.number, s.instruction, s.cached, s.layer])).toEqual([
      [1, 'FROM busybox', false, '3092e3fe5f6d'],
      [2, 'LABEL a=b', true, 'c76f23b5a596'],
    ])
    expect(events.filter((e) => e.type === 'output')).toEqual([])
  })

  it('reads an error line without errorDetail, and a message without an exit code', () => {
    const {decoder} = decode('{"stream":"Step 1/1 : FROM nosuch"}\r\n{"stream":"\\n"}\r\n{"error":"pull access denied for nosuch"}\r\n')
    expect(decoder.error).toEqual({message: 'pull access denied for nosuch', exitCode: undefined})
    expect(decoder.currentStep?.instruction).toBe('FROM nosuch')
  })

  it('keeps RUN output that is not line-aligned, and a last line without newline', () => {
    const {decoder} = decode('{"stream":"Step 1/1 : RUN x"}\n{"stream":"\\n"}\n{"stream":"par"}\n{"stream":"tial\\nlast"}\n')
    expect(decoder.steps[0].output).toEqual(['partial', 'last'])
  })
})

describe("Docker's context size line", () => {
  it('matches the docker CLI (units.HumanSize, %8v)', () => {
    // Observed: `DOCKER_BUILDKIT=0 docker build` prints these for a 2048-byte and a 302600-byte context.
    expect(sendingContextLine(2048)).toBe('Sending build context to Docker daemon  2.048kB')
    expect(sendingContextLine(302592)).toBe('Sending build context to Docker daemon  302.6kB')
    expect(dockerContextSize(512)).toBe('    512B')
    expect(dockerContextSize(209_715_200)).toBe(' 209.7MB')
    expect(dockerContextSize(1_000_000)).toBe('     1MB')
  })
})
