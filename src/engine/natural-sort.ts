/**
 * Natural order as the docker CLI sorts `docker port` lines (fvbommel/sortorder.NaturalLess):
 * runs of digits compare as numbers, digits sort before other characters, the rest compares by byte.
 */
const isDigit = (c: number) => c >= 48 && c <= 57

export function naturalLess(a: string, b: string): boolean {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i)
    const cb = b.charCodeAt(j)
    const da = isDigit(ca)
    const db = isDigit(cb)
    if (da !== db) return da
    if (!da) {
      if (ca !== cb) return ca < cb
      i++
      j++
      continue
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++
    while (j < b.length && b.charCodeAt(j) === 48) j++
    const nonZeroA = i
    const nonZeroB = j
    while (i < a.length && isDigit(a.charCodeAt(i))) i++
    while (j < b.length && isDigit(b.charCodeAt(j))) j++
    const lenA = i - nonZeroA
    const lenB = j - nonZeroB
    if (lenA !== lenB) return lenA < lenB
    const numA = a.slice(nonZeroA, i)
    const numB = b.slice(nonZeroB, j)
    if (numA !== numB) return numA < numB
    if (nonZeroA !== nonZeroB) return nonZeroA < nonZeroB
  }
  return a.length < b.length
}
