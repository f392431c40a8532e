/** The registry of every rule dk knows, in id order within each family. */
import type {Rule} from '../rule.js'
import {correctnessRules} from './correctness-index.js'
import {practiceRules} from './practice-index.js'

export const allRules: Rule[] = [...correctnessRules, ...practiceRules]
