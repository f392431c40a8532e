
import {allInstructions, sliceText} from '../instruction-utils.js'
import type {Rule} from '../rule.js'

export const legacyKeyValue: Rule = {
  id: 'DK119',
  name: 'legacy-key-value',
  summary: 'ENV/LABEL in the legacy `key value` form',
  severity: 'style',
  aliases: ['buildkit:LegacyKeyValueFormat'],
  fixable: true,
  docs: {
    why: '`ENV key value` sets one variable to the whole rest of the line, spaces included; `ENV key=value` can set several and reads unambiguously. Docker documents the space form as legacy and BuildKit warns about it.',
    bad: 'FROM busybox\nENV MEMCACHED_PORT 11211\n',
    good: 'FROM busybox\nENV MEMCACHED_PORT=11211\n',
  },
  check({model, report}) {
    for (const instruction of allInstructions(model)) {
      const keyword = instruction.getKeyword()
      if (keyword !== 'ENV' && keyword !== 'LABEL') continue
      const properties = instruction.getProperties()
      if (properties.length !== 1) continue
      const property = properties[0]
      const value = property.getValue()
      const valueRange = property.getValueRange()
      if (property.getAssignmentOperator() !== null || value === null || !valueRange) continue
      const nameRange = property.getNameRange()
      // Rewrite only what is safe: one line, no quotes or escapes (in the source) whose meaning would change.
      const raw = sliceText(model, valueRange)
      const safe = valueRange.start.line === valueRange.end.line && /^[^"'`\\]*$/.test(raw)
      const newValue = /\s/.test(raw) ? `"${raw}"` : raw
      report({
        range: nameRange,
        message: `Legacy form '${keyword} ${property.getName()} ${value}': write ${keyword} ${property.getName()}=${newValue}`,
        fix: safe ? [{range: {start: nameRange.end, end: valueRange.end}, newText: `=${newValue}`}] : undefined,
      })
    }
  },
}
