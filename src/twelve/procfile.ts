/**
 * Procfile (Heroku, Deis, foreman): one `name: command` per line. Process type names are letters,
 * digits, `_` and `-`; blank lines and `#` comments are allowed. Anything else is an error with
 * its line and column, as a deploy would refuse it.
 */
export interface ProcessType {
  name: string
  command: string
  line: number
}

export interface ProcfileProblem {
  line: number
  column: number
  message: string
}

export interface Procfile {
  types: ProcessType[]
  problems: ProcfileProblem[]
}

const LINE = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*)$/

export function parseProcfile(text: string): Procfile {
  const types: ProcessType[] = []
  const problems: ProcfileProblem[] = []
  const seen = new Map<string, number>()
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const indent = raw.length - raw.trimStart().length
    const match = LINE.exec(trimmed)
    if (!match) {
      const colon = trimmed.indexOf(':')
      problems.push(
        colon === -1
          ? {line, column: indent + 1, message: `expected "name: command", found no ":"`}
          : {line, column: indent + 1, message: `invalid process type name "${trimmed.slice(0, colon).trim()}" (letters, digits, _ and - only)`},
      )
      return
    }
    const [, name, command] = match
    if (command.trim() === '') {
      problems.push({line, column: indent + raw.trimStart().indexOf(':') + 2, message: `process type "${name}" has no command`})
      return
    }
    const first = seen.get(name)
    if (first !== undefined) {
      problems.push({line, column: indent + 1, message: `process type "${name}" is defined twice (first on line ${first})`})
      return
    }
    seen.set(name, line)
    types.push({name, command: command.trim(), line})
  })
  return {types, problems}
}

/** Process types that are one-off or release-phase tasks rather than long-running processes. */
export const ADMIN_TYPES = /^(release|migrate|migrations?|db[-_]?migrate|console|shell|seed|setup|rake|manage|admin|cron|task|oneoff|one-off)$/i
