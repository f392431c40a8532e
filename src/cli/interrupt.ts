/**
 * Ctrl-C for long engine operations (build, save, load): the first SIGINT (or SIGTERM) aborts the
 * operation's signal so it can stop cleanly (the engine removes the build container, a save deletes
 * its temp file) and the command then exits 130; a second one exits at once.
 */
export interface Interrupt {
  signal: AbortSignal
  /** Remove the handlers (always call it, in a finally). */
  dispose(): void
}

export function abortOnInterrupt(): Interrupt {
  const controller = new AbortController()
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
