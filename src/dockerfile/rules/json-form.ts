import {execForm} from '../exec-form.js'
import {allInstructions, sliceText} from '../instruction-utils.js'
import type {Rule, TextEdit} from '../rule.js'

const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD'])
/** An escaped line break, for each of the two escape characters Docker allows. */
const BACKSLASH_NEWLINE = /\\\r?\n/g
const BACKTICK_NEWLINE = /`\r?\n/g

export const jsonForm: Rule = {
  id: 'DK105',
  name: 'invalid-json-form',
  summary: 'Exec form that is not valid JSON (single quotes) silently becomes shell form',
  severity: 'error',
  aliases: ['dockerfile-utils:JSON_IN_SINGLE_QUOTES'],
  fixable: true,
  docs: {
    why: "The exec form is a JSON array, and JSON strings use double quotes. When the array is not valid JSON, Docker does not complain: it silently runs the whole text through `/bin/sh -c`, so `CMD ['memcached', '-u', 'daemon']` tries to run a program called `[memcached,`.",
    bad: "FROM busybox\nCMD ['httpd', '-f']\n",
    good: 'FROM busybox\nCMD ["httpd", "-f"]\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      if (!JSON_CAPABLE.has(instruction.getKeyword())) continue
      const args = instruction.getArguments()
      // Text starting with '[' starts a word whose value starts with '[': most instructions stop here.
      if (args.length === 0 || !args[0].getValue().startsWith('[')) continue
      // A valid exec form on one line without escape characters is the text exec-form.ts already parsed.
      const whole = instruction.getRange()
      if (whole.start.line === whole.end.line && !model.lines[whole.start.line].includes(model.escape) && execForm(model, instruction)) continue
      const range = {start: args[0].getRange().start, end: args.at(-1)!.getRange().end}
      const text = sliceText(model, range)
      const trimmed = text.trim()
      if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) continue
      const joined = trimmed.replace(model.escape === '`' ? BACKTICK_NEWLINE : BACKSLASH_NEWLINE, '')
      if (isJsonStringArray(joined)) continue
      const singleQuoted = /'/.test(joined) && !joined.includes('"') && isJsonStringArray(joined.replace(/'/g, '"'))
      if (singleQuoted) {
        const fix: TextEdit[] = [{range, newText: text.replace(/'/g, '"')}]
        report({range, message: `${instruction.getKeyword()} uses single quotes: JSON needs double quotes, so Docker runs this as a shell command`, fix})
      } else {
        report({range, message: `${instruction.getKeyword()} looks like exec form but is not valid JSON: Docker will run it as a shell command`})
      }
    }
  },
}

function isJsonStringArray(text: string): boolean {
  try {
    const value = JSON.parse(text)
    return Array.isArray(value) && value.every((e) => typeof e === 'string')
  } catch {
    return false
  }
}

