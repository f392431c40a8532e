import {closest} from '../../cli/suggest.js'
import {allInstructions, flagsOf} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

/** Every flag of the Dockerfile frontend 1.x (labs flags included, so modern files never trip). */
const KNOWN: Record<string, string[]> = {
  FROM: ['platform'],
  RUN: ['mount', 'network', 'security', 'device'],
  COPY: ['from', 'chmod', 'chown', 'link', 'parents', 'exclude'],
  ADD: ['checksum', 'keep-git-dir', 'chmod', 'chown', 'link', 'exclude', 'unpack'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
}
/** Flags that may be given several times. */
const REPEATABLE = new Set(['mount', 'exclude', 'device'])

export const flags: Rule = {
  id: 'DK112',
  name: 'invalid-flag',
  summary: 'Unknown or duplicate instruction flag',
  severity: 'error',
  aliases: [
    'dockerfile-utils:UNKNOWN_ADD_FLAG',
    'dockerfile-utils:UNKNOWN_COPY_FLAG',
    'dockerfile-utils:UNKNOWN_FROM_FLAG',
    'dockerfile-utils:UNKNOWN_HEALTHCHECK_FLAG',
    'dockerfile-utils:FLAG_DUPLICATE',
  ],
  fixable: false,
  docs: {
    why: 'Docker refuses a flag it does not know ("Unknown flag: chmode") and a flag given twice. dk knows every current flag: FROM --platform; RUN --mount/--network/--security/--device; COPY --from/--chmod/--chown/--link/--parents/--exclude; ADD --checksum/--keep-git-dir/--chmod/--chown/--link/--exclude/--unpack; HEALTHCHECK --interval/--timeout/--start-period/--start-interval/--retries. --mount, --exclude and --device may repeat.',
    bad: 'FROM busybox\nCOPY --chmode=755 --chown=app --chown=root run.sh /usr/local/bin/\n',
    good: 'FROM busybox\nCOPY --chmod=755 --chown=app run.sh /usr/local/bin/\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      // Instructions without flags first: they are most, and the lookup by keyword is not free.
      const given = flagsOf(instruction)
      if (given.length === 0) continue
      const known = KNOWN[instruction.getKeyword()]
      if (!known) continue
      const seen = new Set<string>()
      for (const flag of given) {
        const name = flag.getName()
        if (!known.includes(name)) {
          const guess = closest(name, known, 2)
          report({
            range: flag.getNameRange(),
            message: `Unknown flag --${name} for ${instruction.getKeyword()}${guess ? `: did you mean --${guess}?` : ` (known: ${known.map((k) => `--${k}`).join(', ')})`}`,
          })
          continue
        }
        if (seen.has(name) && !REPEATABLE.has(name)) report({range: flag.getNameRange(), message: `Flag --${name} is given twice on ${instruction.getKeyword()}`})
        seen.add(name)
      }
    }
  },
}
