import type {Instruction, Property} from '../syntax.js'

import type {Rule} from '../rule.js'

// BuildKit's SecretsUsedInArgOrEnv patterns: a secret-like word as a whole `_`-separated part of the name.
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i
const ALLOWED = /(?:_|^)public(?:_|$)/i

export function looksSecret(name: string): boolean {
  return SECRET.test(name) && !ALLOWED.test(name)
}

function propertiesOf(instruction: Instruction): Property[] {
  const i = instruction as unknown as {getProperties?: () => Property[]; getProperty?: () => Property | null}
  if (typeof i.getProperties === 'function') return i.getProperties()
  const one = typeof i.getProperty === 'function' ? i.getProperty() : null
  return one ? [one] : []
}

export const secretInArgEnv: Rule = {
  id: 'DK215',
  name: 'secret-in-arg-env',
  summary: 'ARG/ENV name looks like a secret: it ends up in the image or its history',
  severity: 'warning',
  aliases: ['hadolint:DL3064', 'buildkit:SecretsUsedInArgOrEnv'],
  fixable: false,
  docs: {
    why:
      'ENV values are stored in the image config: anyone who can pull the image can read them with `docker inspect`. ' +
      'ARG values passed with --build-arg are recorded in `docker history` for every RUN that uses them. Neither is a place ' +
      'for a password or token. Pass secrets at run time (environment, mounted files), or at build time with ' +
      '`RUN --mount=type=secret`, which never writes them to a layer.',
    bad: 'FROM debian:bookworm\nARG GITHUB_TOKEN\nENV DB_PASSWORD=hunter2',
    good: 'FROM debian:bookworm\nRUN --mount=type=secret,id=github_token GITHUB_TOKEN=$(cat /run/secrets/github_token) ./fetch.sh',
  },
  check({model, report}) {
    // Every instruction but FROM, in file order (FROM is never a ARG/ENV).
    for (const instruction of model.ast.getInstructions()) {
      const keyword = instruction.getKeyword()
      if (keyword !== 'ARG' && keyword !== 'ENV') continue
      for (const property of propertiesOf(instruction)) {
        const name = property.getName()
        if (!looksSecret(name)) continue
        report({
          range: property.getNameRange(),
          message: `${keyword} ${name} looks like a secret: ${keyword === 'ENV' ? 'ENV values are readable by anyone with the image' : 'build args are recorded in the image history'}; use RUN --mount=type=secret or pass it at run time`,
        })
      }
    }
  },
}
