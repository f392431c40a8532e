import type {Instruction} from '../syntax.js'

import {allInstructions, isKnownInstruction} from '../instruction-utils.js'
import type {Range, Rule} from '../rule.js'

export const argumentCount: Rule = {
  id: 'DK104',
  name: 'argument-count',
  summary: 'Missing or extra arguments',
  severity: 'error',
  aliases: [
    'dockerfile-utils:ARGUMENT_MISSING',
    'dockerfile-utils:ARGUMENT_EXTRA',
    'dockerfile-utils:ARGUMENT_REQUIRES_AT_LEAST_TWO',
    'dockerfile-utils:ARGUMENT_REQUIRES_ONE_OR_THREE',
    'dockerfile-utils:ARGUMENT_UNNECESSARY',
    'dockerfile-utils:INVALID_AS',
    'dockerfile-utils:SHELL_JSON_FORM',
    'dockerfile-utils:HEALTHCHECK_CMD_ARGUMENT_MISSING',
    'dockerfile-utils:UNKNOWN_TYPE',
    'dockerfile-utils:SYNTAX_MISSING_EQUALS',
  ],
  fixable: false,
  docs: {
    why: 'Each instruction takes a fixed shape of arguments and Docker refuses the file otherwise: COPY and ADD need at least a source and a destination, FROM takes an image and optionally `AS name`, ENV and LABEL need a value, HEALTHCHECK takes CMD <command> or NONE, SHELL takes a JSON array.',
    bad: 'FROM busybox AS\nCOPY app.tar\nENV DEBUG\n',
    good: 'FROM busybox AS build\nCOPY app.tar /srv/\nENV DEBUG=1\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      const keyword = instruction.getKeyword()
      if (!isKnownInstruction(keyword)) continue
      const problem = checkInstruction(instruction)
      if (problem) report(problem)
    }
  },
}

function checkInstruction(instruction: Instruction): {range: Range; message: string; severity?: 'warning'} | undefined {
  const keyword = instruction.getKeyword()
  const args = instruction.getArguments()
  if (args.length === 0) {
    const at = instruction.getInstructionRange()
    // Checked against dockerd 20.10: a bare CMD/ENTRYPOINT builds (the image gets an empty command),
    // a bare RUN parses but fails at build time, every other bare instruction is a parse error.
    if (keyword === 'CMD' || keyword === 'ENTRYPOINT')
      return {range: at, severity: 'warning', message: `${keyword} without arguments leaves the image with an empty ${keyword.toLowerCase()}: write ${keyword} [] if that is what you mean`}
    // `RUN --mount=… ` with nothing after the flags is as empty as `RUN`.
    return {range: at, message: `${keyword} requires at least one argument`}
  }
  switch (keyword) {
    case 'FROM': {
      if (args.length === 2 || args.length > 3) {
        const extra = args[args.length === 2 ? 1 : 3]
        return {range: extra.getRange(), message: 'FROM takes an image and optionally `AS name`: `FROM image[:tag] [AS name]`'}
      }
      if (args.length === 3 && args[1].getValue().toUpperCase() !== 'AS')
        return {range: args[1].getRange(), message: `Expected AS before the stage name, found '${args[1].getValue()}'`}
      return undefined
    }
    case 'COPY':
    case 'ADD': {
      if (instruction.getHeredocs().length > 0) return undefined
      const raw = instruction.getRawArgumentsContent()?.trim() ?? ''
      const count = raw.startsWith('[') ? jsonCount(raw) ?? args.length : args.length
      if (count < 2) return {range: args[0].getRange(), message: `${keyword} requires at least two arguments: one or more sources and a destination`}
      return undefined
    }
    case 'ENV':
    case 'LABEL': {
      const props = instruction.getProperties()
      for (const prop of props) {
        if (prop.getAssignmentOperator() === null && prop.getValue() === null)
          return {range: prop.getNameRange(), message: `${keyword} ${prop.getName()} has no value: write ${prop.getName()}=value`}
      }
      return undefined
    }
    case 'HEALTHCHECK': {
      const type = args[0].getValue().toUpperCase()
      if (type === 'NONE') {
        if (args.length > 1) return {range: args[1].getRange(), message: 'HEALTHCHECK NONE takes no other arguments'}
        return undefined
      }
      if (type !== 'CMD') return {range: args[0].getRange(), message: `HEALTHCHECK expects CMD <command> or NONE, found '${args[0].getValue()}'`}
      if (args.length < 2) return {range: args[0].getRange(), message: 'HEALTHCHECK CMD needs a command to run'}
      return undefined
    }
    case 'SHELL': {
      const raw = instruction.getRawArgumentsContent()?.trim() ?? ''
      const parsed = tryJson(raw.replace(/\\\r?\n/g, ''))
      if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((e) => typeof e === 'string'))
        return {range: args[0].getRange(), message: 'SHELL requires a JSON array of strings, e.g. SHELL ["/bin/sh", "-c"]'}
      return undefined
    }
    default:
      return undefined
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function jsonCount(raw: string): number | undefined {
  const parsed = tryJson(raw.replace(/\\\r?\n/g, ''))
  return Array.isArray(parsed) ? parsed.length : undefined
}
