/**
 * `docker stop a b c` / `docker rm a b c`: act on each container in turn, keep going after a failure,
 * and report every outcome. The exit code is 4 when every failure was "no such container", else 1.
 */
import {DkError, NotFoundError} from '../cli/errors.js'
import {ExitCode} from '../cli/exit-codes.js'

export interface EachResult {
  done: string[]
  failed: {container: string; code: string; message: string}[]
  exitCode: number
}

export async function eachContainer(
  containers: string[],
  action: (container: string) => Promise<void>,
  onDone: (container: string) => void,
  onError: (container: string, error: DkError) => void,
): Promise<EachResult> {
  const result: EachResult = {done: [], failed: [], exitCode: ExitCode.Ok}
  let allNotFound = true
  for (const container of containers) {
    try {
      await action(container)
      result.done.push(container)
      onDone(container)
    } catch (error) {
      // Anything that is not a DkError is a bug: let the base command show it.
      if (!(error instanceof DkError)) throw error
      // An unreachable engine fails every one of them: stop at the first.
      if (error.exitCode === ExitCode.EngineUnreachable) throw error
      if (!(error instanceof NotFoundError)) allNotFound = false
      result.failed.push({container, code: error.code, message: error.message})
      onError(container, error)
    }
  }
  if (result.failed.length > 0) result.exitCode = allNotFound ? ExitCode.NotFound : ExitCode.Failed
  return result
}
