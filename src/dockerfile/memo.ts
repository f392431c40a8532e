/**
 * Values derived from a parse-tree object (an instruction, a stage, the model, a shell script),
 * stored on that object. WeakMaps did this before, but V8's young-generation collector keeps a
 * WeakMap's values alive while it cannot tell whether their keys died, so every file's whole tree
 * survived into the old generation: about a fifth of lint time went to garbage collection.
 */
export interface Memoized {
  /** Owned by memo(); nothing else reads or writes it. */
  memo?: Map<symbol, unknown>
}

/** `compute()` once per owner and key; later calls return the same value (callers must not modify it). */
export function memo<T>(owner: Memoized, key: symbol, compute: () => T): T {
  let values = owner.memo
  if (values === undefined) owner.memo = values = new Map()
  else if (values.has(key)) return values.get(key) as T
  const value = compute()
  values.set(key, value)
  return value
}
