/**
 * Engine API errors → dk errors, in one place. dockerode rejects with `statusCode`, `reason` and
 * `json.message`; its composed `message` is long and repeats itself, so dk renders from the parts.
 */
import {DkError, NotFoundError, WorkFailedError} from '../cli/errors.js'
import type {EngineAddress} from './connect.js'
import {unreachable} from './connect.js'

export interface ApiErrorContext {
  /** What was being done, e.g. "start container web". */
  action: string
  /** The kind and name of the object, for 404s: "image memcached". */
  subject?: string
  address?: EngineAddress
}

export interface DockerApiError {
  statusCode?: number
  reason?: string
  json?: {message?: string} | string | null
  code?: string
  message?: string
}

/** The engine's own message, without dockerode's "(HTTP code 404) no such image - " prefix. */
export function engineMessage(error: unknown): string {
  const e = error as DockerApiError
  const json = e?.json
  if (json && typeof json === 'object' && json.message) return json.message
  if (typeof json === 'string' && json.trim()) return json.trim()
  return (e?.message ?? String(error)).replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '')
}

/** Map any error from a dockerode call to a DkError with a hint. */
export function apiError(error: unknown, context: ApiErrorContext): DkError {
  if (error instanceof DkError) return error
  const e = error as DockerApiError
  if (context.address && ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE'].includes(e?.code ?? '')) {
    return unreachable(context.address, error)
  }
  const message = engineMessage(error)
  switch (e?.statusCode) {
    case 404:
      return new NotFoundError(context.subject ? `No such ${context.subject}.` : `Not found: ${message}`, {
        hint: context.subject?.startsWith('image')
          ? 'No registry is reachable from dk: make the image with `dk setup`, `dk build` or `dk load`; `dk images` lists what is here.'
          : context.subject?.startsWith('container')
            ? '`dk ps -a` lists the containers that exist.'
            : undefined,
        code: 'NOT_FOUND',
        details: {engineMessage: message},
        cause: error,
      })
    case 409:
      return new WorkFailedError(`Cannot ${context.action}: ${message}`, {code: 'CONFLICT', cause: error})
    case 400:
      return new WorkFailedError(`Cannot ${context.action}: ${message}`, {code: 'BAD_REQUEST', cause: error})
    case 500:
    default:
      return new WorkFailedError(`Cannot ${context.action}: ${message}`, {code: e?.statusCode ? `ENGINE_${e.statusCode}` : 'ENGINE_ERROR', cause: error})
  }
}
