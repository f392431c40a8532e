/**
 * Values derived from a parse-tree object (an instruction, a stage, the model, a shell script),
 * stored on that object. WeakMaps did this before, but V8's young-generation collector keeps a
 * WeakMap's values alive while it cannot tell whether their keys died, so every file's whole tree
 * survived into the old generation: about a fifth of lint time went to garbage collection.
 *
 *   const KEY = memoKey('instruction', 'what')   // once, at module level
 *   const known = recall<T>(owner, KEY)
 *   if (known !== NOT_YET) return known
 *   return remember(owner, KEY, compute())
 *
 * No callback (a closure per call was itself a measurable share of allocations), and keys are
 * small integers indexing an array: symbol-keyed properties added in varying orders gave every
 * owner its own hidden class and made each lookup megamorphic. Each kind of owner numbers its
 * keys from 0 and an owner's array is made at the size of its kind's list: with one numbering for
 * all keys, an instruction's array grew to forty slots for the four values it holds.
 */
export interface Memoized {
  /** Owned by recall()/remember(); nothing else reads or writes it. */
  memo?: unknown[]
}

/** The kinds of objects values are remembered on. */
export type MemoOwner = 'model' | 'stage' | 'instruction' | 'script' | 'command'

interface Family {
  /** Keys made so far for this kind of owner. */
  size: number
}

export interface MemoKey {
  /** Index in the owner's array. */
  readonly slot: number
  readonly family: Family
}

const families: Record<MemoOwner, Family> = {model: {size: 0}, stage: {size: 0}, instruction: {size: 0}, script: {size: 0}, command: {size: 0}}

export const NOT_YET: unique symbol = Symbol('not computed yet')

/** How a remembered `undefined` is stored (an empty slot means "not computed"). */
const UNDEFINED = Symbol('undefined')

/** A new key for values stored on one kind of owner; `name` documents it at the call site. */
export function memoKey(owner: MemoOwner, name: string): MemoKey {
  void name
  const family = families[owner]
  return {slot: family.size++, family}
}

/** The value remembered for `key`, or NOT_YET. */
export function recall<T>(owner: Memoized, key: MemoKey): T | typeof NOT_YET {
  const value = owner.memo?.[key.slot]
  if (value === undefined) return NOT_YET
  return (value === UNDEFINED ? undefined : value) as T
}

/** Remember `value` for `key` and return it (callers must not modify it afterwards). */
export function remember<T>(owner: Memoized, key: MemoKey, value: T): T {
  // A key made after this owner's array (tool-call keys are made on first use) grows it as usual.
  const values = (owner.memo ??= new Array(key.family.size))
  values[key.slot] = value === undefined ? UNDEFINED : value
  return value
}
