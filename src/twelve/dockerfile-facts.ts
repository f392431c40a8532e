/**
 * What the report card needs to know about a Dockerfile's final stage: exposed ports, CMD and
 * ENTRYPOINT (and their form), labels, ENV, VOLUME, ONBUILD. Read from dk's parsed model
 * (src/dockerfile/parse.ts) so positions match `dk lint`. Instructions inside ONBUILD belong to
 * child images and are not counted here.
 */
import type {Instruction} from '../dockerfile/syntax.js'

import {execForm} from '../dockerfile/exec-form.js'
import {parseDockerfile} from '../dockerfile/parse.js'

export interface Located<T> {
  value: T
  /** 1-based line and column, as users read them. */
  line: number
  column: number
}

export interface DockerfileFacts {
  /** Exposed ports as Docker normalises them: "8080/tcp". */
  exposed: Located<string>[]
  cmd?: Located<{form: 'exec' | 'shell'; argv: string[]; text: string}>
  entrypoint?: Located<{form: 'exec' | 'shell'; argv: string[]; text: string}>
  labels: Record<string, Located<string>>
  env: Located<{name: string; value: string}>[]
  volumes: Located<string>[]
  /** The base image of the final stage as written. */
  from?: Located<string>
  onbuild: Located<string>[]
  /** The file could not be parsed; the other fields are then empty. */
  parseError?: string
}

const at = (instruction: Instruction) => {
  const start = instruction.getRange().start
  return {line: start.line + 1, column: start.character + 1}
}

/** Parse Dockerfile text into the facts above; never throws. */
export function dockerfileFacts(text: string): DockerfileFacts {
  const facts: DockerfileFacts = {exposed: [], labels: {}, env: [], volumes: [], onbuild: []}
  const {model, problems} = parseDockerfile(text)
  if (!model || problems.length > 0 || !model.finalStage) {
    facts.parseError = problems[0]?.message ?? 'no FROM instruction'
    return facts
  }
  const stage = model.finalStage
  facts.from = {value: stage.image, ...at(stage.from)}
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword().toUpperCase()
    const args = instruction.getArguments().map((a) => a.getValue())
    switch (keyword) {
      case 'EXPOSE':
        for (const arg of instruction.getArguments()) {
          const start = arg.getRange().start
          facts.exposed.push({value: normalisePort(arg.getValue()), line: start.line + 1, column: start.character + 1})
        }
        break
      case 'CMD':
      case 'ENTRYPOINT': {
        const exec = execForm(model, instruction)
        const text = (instruction.getRawArgumentsContent() ?? '').trim()
        const value = exec ? {form: 'exec' as const, argv: exec.map((e) => e.value), text} : {form: 'shell' as const, argv: ['/bin/sh', '-c', text], text}
        // Only the last one counts, as in Docker.
        if (keyword === 'CMD') facts.cmd = {value, ...at(instruction)}
        else facts.entrypoint = {value, ...at(instruction)}
        break
      }
      case 'LABEL':
        for (const property of instruction.getProperties()) {
          facts.labels[unquote(property.getName())] = {value: unquote(property.getUnescapedValue() ?? ''), ...at(instruction)}
        }
        break
      case 'ENV': {
        const properties = (instruction as unknown as {getProperties(): Array<{getName(): string; getUnescapedValue(): string | null}>}).getProperties()
        for (const property of properties) facts.env.push({value: {name: property.getName(), value: unquote(property.getUnescapedValue() ?? '')}, ...at(instruction)})
        break
      }
      case 'VOLUME': {
        const exec = execForm(model, instruction)
        for (const path of exec ? exec.map((e) => e.value) : args) facts.volumes.push({value: path, ...at(instruction)})
        break
      }
      case 'ONBUILD':
        facts.onbuild.push({value: (instruction.getRawArgumentsContent() ?? '').trim(), ...at(instruction)})
        break
      default:
    }
  }
  return facts
}

/** "8080" → "8080/tcp", "53/UDP" → "53/udp", as Docker stores ExposedPorts keys. */
export function normalisePort(spec: string): string {
  const [port, proto] = spec.split('/')
  return `${port}/${(proto || 'tcp').toLowerCase()}`
}

/**
 * Remove quotes the way Docker's shell-word lexer does for LABEL/ENV values: inside double quotes a
 * backslash escapes only `"`, `$` and itself (so `\r\n` stays two literal characters), inside
 * single quotes nothing is special, outside quotes a backslash escapes the next character.
 */
export function unquote(word: string): string {
  let out = ''
  let quote: '"' | "'" | undefined
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else out += ch
    } else if (quote === '"') {
      if (ch === '"') quote = undefined
      else if (ch === '\\' && i + 1 < word.length && ['"', '$', '\\'].includes(word[i + 1])) out += word[++i]
      else out += ch
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '\\' && i + 1 < word.length) out += word[++i]
    else out += ch
  }
  return out
}
