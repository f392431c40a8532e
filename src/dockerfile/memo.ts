/**
 * Values derived from a parse-tree object (an instruction, a stage, the model, a shell script),
 * stored on that object. WeakMaps did this before, but V8's young-generation collector keeps a
 * WeakMap's values alive while it cannot tell whether their keys died, so every file's whole tree
 * survived into the old generation: about a fifth of lint time went to garbage collection.
 *
 *   const known = recall<T>(owner, KEY)
 *   if (known !== NOT_YET) return known
 *   return remember(owner, KEY, compute())
 *
 * (No callback: a closure per call was itself a measurable share of the allocations.)
 */
export interface Memoized {
  /** Owned by recall()/remember(); nothing else reads or writes it. */
  memo?: Record<symbol, unknown>
}

export const NOT_YET: unique symbol = Symbol('not computed yet')

/** The value remembered for `key`, or NOT_YET. */
export function recall<T>(owner: Memoized, key: symbol): T | typeof NOT_YET {
  const values = owner.memo
  if (values === undefined) return NOT_YET
  const value = values[key]
  return value !== undefined || key in values ? (value as T) : NOT_YET
}

/** Remember `value` for `key` and return it (callers must not modify it afterwards). */
export function remember<T>(owner: Memoized, key: symbol, value: T): T {
  if (owner.memo === undefined) owner.memo = {}
  owner.memo[key] = value
  return value
}
