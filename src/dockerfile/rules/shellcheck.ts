import type {RawFinding, Rule} from '../rule.js'
import {shellcheckFindings} from '../shellcheck.js'

export const shellcheck: Rule = {
  id: 'DK250',
  name: 'shellcheck',
  summary: 'ShellCheck findings in shell-form RUN (reported as SCxxxx, when shellcheck is installed)',
  severity: 'warning',
  aliases: [],
  fixable: false,
  docs: {
    why:
      'A shell-form RUN is a shell script, with all the classic traps: unquoted variables that split on spaces, `cd` that fails ' +
      'silently, `[[` in a plain /bin/sh. When the `shellcheck` binary is on PATH (Debian: apt-get install shellcheck), dk runs it ' +
      'over every shell-form RUN, with the SHELL in effect as the shebang and your ARG/ENV names declared, and reports each finding ' +
      'under its own code (SC2086…) and ShellCheck\'s severity. Ignore one with `# dk ignore=SC2086` or all with `--ignore shellcheck`. ' +
      'Without shellcheck nothing is reported and nothing else changes.',
    bad: 'FROM debian:bookworm\nARG VERSION\nRUN cd /opt/app && tar -xzf app-$VERSION.tgz',
    good: 'FROM debian:bookworm\nARG VERSION\nWORKDIR /opt/app\nRUN tar -xzf "app-${VERSION}.tgz"',
  },
  prepare: (model) => shellcheckFindings(model, 'Dockerfile'),
  check({prepared, report}) {
    if (!Array.isArray(prepared)) return
    for (const finding of prepared as RawFinding[]) report(finding)
  },
}
