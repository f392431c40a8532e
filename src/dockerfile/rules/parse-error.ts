import type {Rule} from '../rule.js'

/**
 * DK100 is reported by the engine itself (lint.ts) when parse.ts finds a problem Docker's parser
 * would refuse; it is a rule so that `--explain DK100`, the rule table and SARIF know it.
 */
export const parseError: Rule = {
  id: 'DK100',
  name: 'parse-error',
  summary: 'The file cannot be parsed as a Dockerfile',
  severity: 'error',
  aliases: ['hadolint:DL1000'],
  fixable: false,
  docs: {
    why: 'Docker refuses to build a Dockerfile it cannot parse: binary data, an escape directive other than \\ or `, or a heredoc that is never closed. When a file does not parse, dk reports only this and no other rule, because every later finding would be a guess. A parse error always fails the run, whatever the threshold.',
    bad: 'FROM busybox\nRUN <<EOF\necho hello\n',
    good: 'FROM busybox\nRUN <<EOF\necho hello\nEOF\n',
  },
  check() {
    // Reported by the engine from parse.ts; nothing to do per rule.
  },
}
