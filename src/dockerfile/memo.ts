/**
 * Values derived from a parse-tree object (an instruction, a stage, the model, a shell script),
 * stored on that object. WeakMaps did this before, but V8's young-generation collector keeps a
 * WeakMap's values alive while it cannot tell whether their keys died, so every file's whole tree
 * survived into the old generation: about a fifth of lint time went to garbage collection.
 *
 *   const KEY = memoKey('what')            // once, at module level
 *   const known = recall<T>(owner, KEY)
 *   if (known !== NOT_YET) return known
 *   return remember(owner, KEY, compute())
 *
 * No callback (a closure per call was itself a measurable share of allocations), and keys are
 * small integers indexing an array: symbol-keyed properties added in varying orders gave every
 * owner its own hidden class and made each lookup megamorphic.
 */
export interface Memoized {
  /** Owned by recall()/remember(); nothing else reads or writes it. */
  memo?: unknown[]
}

export type MemoKey = number & {readonly memoKey: unique symbol}

export const NOT_YET: unique symbol = Symbol('not computed yet')

/** How a remembered `undefined` is stored (an empty slot means "not computed"). */
const UNDEFINED = Symbol('undefined')

let keys = 0

/** A new key; `name` documents it at the call site. */
export function memoKey(name: string): MemoKey {
  void name
  return keys++ as MemoKey
}

/** The value remembered for `key`, or NOT_YET. */
export function recall<T>(owner: Memoized, key: MemoKey): T | typeof NOT_YET {
  const value = owner.memo?.[key]
  if (value === undefined) return NOT_YET
  return (value === UNDEFINED ? undefined : value) as T
}

/** Remember `value` for `key` and return it (callers must not modify it afterwards). */
export function remember<T>(owner: Memoized, key: MemoKey, value: T): T {
  const values = (owner.memo ??= [])
  values[key] = value === undefined ? UNDEFINED : value
  return value
}
