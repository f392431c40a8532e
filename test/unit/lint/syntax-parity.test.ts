/**
 * dk's syntax tree (src/dockerfile/syntax.ts) replaced dockerfile-ast on the lint path, and dk's
 * findings point where dockerfile-ast's ranges pointed. This compares every value and range the
 * rules read, node by node, with dockerfile-ast 0.7.1 on the fixtures, the templates, the rules'
 * examples and a few thousand seeded mutations of them. Inputs on which dockerfile-ast itself
 * throws (it overflows its stack resolving some variables) are skipped.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {DockerfileParser} from 'dockerfile-ast'
import {describe, expect, it} from 'vitest'

import {allRules} from '../../../src/dockerfile/rules/index.js'
import {parseSyntax} from '../../../src/dockerfile/syntax.js'

type Range = {start: {line: number; character: number}; end: {line: number; character: number}} | null
/** The subset of both APIs the comparison reads (dockerfile-ast's classes have it on the relevant subclasses). */
interface Node {
  getKeyword(): string
  getInstruction(): string
  getRange(): Range
  getInstructionRange(): Range
  getRawArguments?(): Value[]
  getArguments(): Value[]
  getArgumentsRange(): Range
  getRawArgumentsContent(): string | null
  getArgumentsContent(): string | null
  getTextContent(): string
  getVariables(): {getName(): string; getRange(): Range; getNameRange(): Range; getModifier(): string | null}[]
  getFlags?(): {getName(): string; getValue(): string | null; getRange(): Range; getNameRange(): Range; getValueRange(): Range}[]
  getHeredocs?(): {getName(): string; getNameRange(): Range; getContentRange(): Range; getDelimiterRange(): Range; getStartRange(): Range}[]
  getProperties?(): Property[]
  getProperty?(): Property | null
  getImage?(): string | null
  getImageRange?(): Range
  getImageTagRange?(): Range
  getBuildStage?(): string | null
  getBuildStageRange?(): Range
  getFromFlag?(): {getName(): string} | null
  getSubcommand?(): Value | null
  getTriggerRange?(): Range
  getTriggerInstruction?(): Node | null
}
interface Value {
  getValue(): string
  getRange(): Range
}
interface Property {
  getName(): string
  getValue(): string | null
  getUnescapedValue(): string | null
  getAssignmentOperator(): string | null
  getRange(): Range
  getNameRange(): Range
  getValueRange(): Range
}

const r = (range: Range) => (range ? `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}` : 'null')
const values = (list: Value[]) => list.map((a) => `${JSON.stringify(a.getValue())}@${r(a.getRange())}`)

function describeNode(i: Node, deep = true): Record<string, unknown> {
  const k = i.getKeyword()
  const out: Record<string, unknown> = {
    keyword: i.getInstruction(), range: r(i.getRange()), keywordRange: r(i.getInstructionRange()), raw: values(i.getRawArguments?.() ?? []),
    args: values(i.getArguments()), argsRange: r(i.getArgumentsRange()), rawContent: i.getRawArgumentsContent(), text: i.getTextContent(),
    content: i.getArgumentsContent(),
    variables: i.getVariables().map((v) => `${v.getName()}@${r(v.getRange())}/${r(v.getNameRange())}/${v.getModifier()}`),
    flags: (i.getFlags?.() ?? []).map((f) => `${f.getName()}=${f.getValue()}@${r(f.getRange())}/${r(f.getNameRange())}/${r(f.getValueRange())}`),
  }
  if (k === 'RUN' || k === 'COPY' || k === 'ADD')
    out.heredocs = (i.getHeredocs?.() ?? []).map((h) => `${h.getName()}@${r(h.getNameRange())}/${r(h.getContentRange())}/${r(h.getDelimiterRange())}/${r(h.getStartRange())}`)
  if (k === 'ENV' || k === 'LABEL' || k === 'ARG')
    out.properties = (i.getProperties?.() ?? []).map(
      (p) => `${JSON.stringify([p.getName(), p.getValue(), p.getUnescapedValue(), p.getAssignmentOperator()])}@${r(p.getRange())}/${r(p.getNameRange())}/${r(p.getValueRange())}`,
    )
  if (k === 'ARG') out.property = i.getProperty?.()?.getName() ?? null
  if (k === 'FROM') out.from = [i.getImage?.(), r(i.getImageRange?.() ?? null), r(i.getImageTagRange?.() ?? null), i.getBuildStage?.(), r(i.getBuildStageRange?.() ?? null)]
  if (k === 'COPY') out.fromFlag = i.getFromFlag?.()?.getName() ?? null
  if (k === 'HEALTHCHECK') out.subcommand = i.getSubcommand?.()?.getValue() ?? null
  if (k === 'ONBUILD' && deep) {
    out.triggerRange = r(i.getTriggerRange?.() ?? null)
    const trigger = i.getTriggerInstruction?.()
    out.trigger = trigger ? describeNode(trigger, false) : null
  }
  return out
}

function tree(parsed: {getDirectives(): {getName(): string; getValue(): string; getRange(): Range; getNameRange(): Range; getValueRange(): Range}[]; getInstructions(): unknown[]}) {
  return {
    directives: parsed.getDirectives().map((d) => `${d.getName()}=${d.getValue()}@${r(d.getRange())}/${r(d.getNameRange())}/${r(d.getValueRange())}`),
    instructions: parsed.getInstructions().map((i) => describeNode(i as Node)),
  }
}

function seeded(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
}

const FRAGMENTS = [
  '\\', '\\\n', '\\ \n', '\\\r\n', '`', '"', "'", '[', ']', '<<EOF', '<<-EOT\n', '<<"EOF"', "<<'X'", 'EOF\n', '${', '${A:-', '${A}', '$A', '$',
  '#', '# comment\n', '\r\n', '\r', '\n', '\n\n', '\t', '\t\n', ' ', '=', '--', '--mount=', '--from=', 'AS', 'ONBUILD ', 'FROM ', 'RUN ',
  'COPY ', 'HEALTHCHECK ', 'EXPOSE ', 'ENV ', 'LABEL ', 'ARG ', '# escape=`\n', '\uFEFF', 'é', '😀', ':', '/', '@',
]

function corpus(): string[] {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..')
  const texts: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === '.git' || entry === 'dist') continue
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) walk(path)
      else if (/Dockerfile|Containerfile/i.test(entry)) texts.push(readFileSync(path, 'utf8'))
    }
  }
  for (const dir of ['test/fixtures', 'templates', 'exercises']) walk(join(root, dir))
  for (const rule of allRules) texts.push(rule.docs.bad, rule.docs.good)
  const base = texts.length
  const random = seeded(7)
  for (let n = 0; n < 2000; n++) {
    let s = texts[Math.floor(random() * base)]
    for (let k = 1 + Math.floor(random() * 5); k > 0; k--) {
      const at = Math.floor(random() * (s.length + 1))
      const op = random()
      if (op < 0.5) s = s.slice(0, at) + FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] + s.slice(at)
      else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 10))
      else {
        const from = Math.floor(random() * s.length)
        s = s.slice(0, at) + s.slice(from, from + Math.floor(random() * 30)) + s.slice(at)
      }
    }
    texts.push(s)
  }
  return texts
}

describe('syntax tree parity with dockerfile-ast', {timeout: 120_000}, () => {
  it('reports the same values and ranges on fixtures and 2,000 mutations', () => {
    let compared = 0
    for (const text of corpus()) {
      let expected
      try {
        expected = tree(DockerfileParser.parse(text) as never)
      } catch {
        continue
      }
      expect(tree(parseSyntax(text)), JSON.stringify(text)).toEqual(expected)
      compared++
    }
    expect(compared).toBeGreaterThan(1500)
  })
})
