/** Correctness rules (DK1xx): what Docker rejects or silently misreads. */
import type {Rule} from '../rule.js'

export const correctnessRules: Rule[] = []
