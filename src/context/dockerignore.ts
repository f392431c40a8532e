/**
 * Reading `.dockerignore` the way the docker CLI does (moby/patternmatcher/ignorefile.ReadAll):
 * BOM removed from the first line only, lines split on `\n` with a trailing `\r` dropped, `#` is a
 * comment only in column 0 (tested before trimming), then Go's TrimSpace, `!` split off and trimmed
 * again, `filepath.Clean`, and one leading `/` removed. Each pattern keeps its line number so that
 * errors and `--why` can point at `.dockerignore:LINE`.
 */
import {goClean, goTrimSpace} from './go-compat.js'
import type {RawPattern} from './pattern-matcher.js'

/** bufio.Scanner's default limit: a longer line makes the docker CLI fail with "token too long". */
const MAX_LINE_BYTES = 64 * 1024

export class DockerignoreReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/** Parse the bytes of a `.dockerignore` file into the pattern list Docker would build. */
export function parseDockerignore(content: Buffer | string, file = '.dockerignore'): RawPattern[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  const patterns: RawPattern[] = []
  let lineNumber = 0
  let start = 0
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    const hasNewline = end >= 0
    if (!hasNewline) end = bytes.length
    let lineBytes = bytes.subarray(start, end)
    start = end + 1
    if (lineBytes.length >= MAX_LINE_BYTES) {
      throw new DockerignoreReadError('error reading .dockerignore: bufio.Scanner: token too long', lineNumber + 1)
    }
    if (lineBytes.length > 0 && lineBytes[lineBytes.length - 1] === 0x0d) lineBytes = lineBytes.subarray(0, -1)
    if (lineNumber === 0 && lineBytes[0] === 0xef && lineBytes[1] === 0xbb && lineBytes[2] === 0xbf) lineBytes = lineBytes.subarray(3)
    lineNumber++
    const text = lineBytes.toString('utf8')
    if (text.startsWith('#')) continue
    let pattern = goTrimSpace(text)
    if (pattern === '') continue
    const invert = pattern[0] === '!'
    if (invert) pattern = goTrimSpace(pattern.slice(1))
    if (pattern.length > 0) {
      pattern = goClean(pattern)
      if (pattern.length > 1 && pattern[0] === '/') pattern = pattern.slice(1)
    }
    if (invert) pattern = `!${pattern}`
    patterns.push({pattern, origin: {file, line: lineNumber, text}})
  }
  return patterns
}
