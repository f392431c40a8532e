import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {formatResults, FORMATS} from '../../../src/dockerfile/formats/index.js'
import {lintTextSync} from '../../../src/dockerfile/lint.js'
import {correctnessRules} from '../../../src/dockerfile/rules/correctness-index.js'
import type {LintResult} from '../../../src/dockerfile/types.js'

const golden = (name: string) => join(__dirname, '..', '..', 'fixtures', 'lint', 'golden', name)

/** Real lint results, limited to DK1xx so these goldens change only when the formats (or DK1xx) do. */
function results(): LintResult[] {
  const files: [string, string][] = [
    ['app/Dockerfile', 'FROM busybox\nCOPY a b /app\nEXPOSE 80/dns\nrun echo "50% <done> & more"\n'],
    ['clean/Dockerfile', 'FROM busybox\nCMD ["sh"]\n'],
    ['broken/Dockerfile', 'FROM busybox\nRUN <<EOF\necho\n'],
  ]
  return files.map(([file, text]) => {
    const result = lintTextSync(text, {file})
    return {...result, findings: result.findings.filter((f) => /^DK1/.test(f.rule))}
  })
}
const context = {rules: correctnessRules, version: '0.1.0'}

describe('formats (golden)', () => {
  for (const format of FORMATS) {
    it(format, async () => {
      const ext = {stylish: 'txt', json: 'json', sarif: 'sarif', checkstyle: 'xml', github: 'txt'}[format]
      await expect(formatResults(format, results(), context)).toMatchFileSnapshot(golden(`${format}.${ext}`))
    })
  }

  it('json is one array of exactly the documented keys', () => {
    const parsed = JSON.parse(formatResults('json', results(), context))
    expect(Array.isArray(parsed)).toBe(true)
    for (const f of parsed) expect(Object.keys(f)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'aliases', 'fixable'])
  })

  it('stylish says so when there is nothing to report', () => {
    expect(formatResults('stylish', [results()[1]], context)).toBe('✓ 1 file linted, no problems\n')
  })

  it('github escapes newlines, percent, colons and commas', () => {
    const [r] = results()
    const text = formatResults('github', [{...r, file: 'a,b:c', findings: [{...r.findings[0], file: 'a,b:c', message: 'x%\ny'}]}], context)
    expect(text).toBe('::error file=a%2Cb%3Ac,line=2,col=10,endLine=2,endColumn=14,title=DK108::x%25%0Ay\n')
  })
})

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 JSON schema', async () => {
    // Both are CommonJS: Node's interop puts the class/function on `default`, TypeScript's Node16 typing one level deeper.
    const ajvModule = (await import('ajv-draft-04')).default
    const formatsModule = (await import('ajv-formats')).default
    const Ajv = ((ajvModule as unknown as {default?: unknown}).default ?? ajvModule) as typeof ajvModule.default
    const addFormats = ((formatsModule as unknown as {default?: unknown}).default ?? formatsModule) as typeof formatsModule.default
    const schema = JSON.parse(await readFile(join(__dirname, '..', '..', 'fixtures', 'lint', 'sarif-2.1.0-rtm.5.json'), 'utf8'))
    // The schema's language-tag pattern is not valid under the `u` flag; it is meant as a plain regex.
    const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false})
    addFormats(ajv)
    const validate = ajv.compile(schema)
    const log = JSON.parse(formatResults('sarif', results(), context))
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
    // A broken log must fail, or the check above proves nothing.
    const broken = structuredClone(log)
    broken.runs[0].results[0].level = 'fatal'
    expect(validate(broken)).toBe(false)
  })

  it('lists each rule that fired once, with help text and an absolute help URI', () => {
    const log = JSON.parse(formatResults('sarif', results(), context))
    const rules = log.runs[0].tool.driver.rules
    expect(rules.map((r: {id: string}) => r.id)).toEqual(['DK108', 'DK106', 'DK118', 'DK100'])
    for (const rule of rules) {
      expect(rule.help.text.length).toBeGreaterThan(40)
      expect(rule.helpUri).toMatch(/^https:\/\//)
    }
    for (const result of log.runs[0].results) expect(rules[result.ruleIndex].id).toBe(result.ruleId)
  })

  it('relayed ShellCheck codes get a descriptor pointing at the ShellCheck wiki', () => {
    const [r] = results()
    const log = JSON.parse(formatResults('sarif', [{...r, findings: [{...r.findings[0], rule: 'SC2086'}]}], context))
    expect(log.runs[0].tool.driver.rules[0]).toMatchObject({id: 'SC2086', helpUri: 'https://www.shellcheck.net/wiki/SC2086'})
  })
})
