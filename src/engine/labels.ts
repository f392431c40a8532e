/**
 * The labels dk puts on everything it creates, so that it only ever removes its own things.
 * `io.dk.managed=true` on every object; the others say why it exists.
 */
export const Label = {
  /** Present (value "true") on every container, image, volume and network dk creates. */
  managed: 'io.dk.managed',
  /** Base images made locally by `dk setup` (value "local"). */
  base: 'io.dk.base',
  /** The exercise number an object belongs to. */
  exercise: 'io.dk.exercise',
  /** One verify run (its nonce), so a run removes exactly what it made. */
  run: 'io.dk.run',
  /** Objects created by dk's own test suites (value: the suite/file name). */
  test: 'io.dk.test',
  /** The workshop folder an object belongs to. */
  workshop: 'io.dk.workshop',
} as const

/**
 * The name or tag dk gave an object. Docker copies an image's labels into every image built FROM it
 * and every container run from it, so these tell what dk made from what merely inherited its labels.
 */
export const OwnLabel = {
  /** On images dk builds or imports: the tag it gave them. */
  image: 'io.dk.image',
  /** On containers dk creates: the name it gave them. */
  container: 'io.dk.container',
} as const

/** Labels for a new object: managed plus any extras. */
export function dkLabels(extra: Record<string, string> = {}): Record<string, string> {
  return {[Label.managed]: 'true', ...extra}
}
