/**
 * Good-practice (DK2xx) and workshop/Deis (DK3xx) rules. Owned by the rules half of issue 3; the
 * engine only needs this array to exist.
 */
import type {Rule} from '../rule.js'

export const practiceRules: Rule[] = []
