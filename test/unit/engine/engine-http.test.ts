import {describe, expect, it} from 'vitest'

import {EngineHttpError, pathPart, queryString} from '../../../src/engine/engine-http.js'
import {apiError, engineMessage} from '../../../src/engine/errors.js'

describe('engine-http: requests as docker-modem wrote them', () => {
  it('sends objects as JSON, arrays as repeated keys, and leaves undefined out', () => {
    const query = queryString({t: ['a:1', 'b:2'], labels: {'io.dk.managed': 'true'}, rm: true, all: false, target: undefined, version: '1'})
    const params = new URLSearchParams(query.slice(1))
    expect(params.getAll('t')).toEqual(['a:1', 'b:2'])
    expect(JSON.parse(params.get('labels') as string)).toEqual({'io.dk.managed': 'true'})
    expect(params.get('rm')).toBe('true')
    expect(params.get('all')).toBe('false')
    expect(params.has('target')).toBe(false)
    expect(queryString({})).toBe('')
  })

  it('keeps the separators of image references in paths, and encodes the rest', () => {
    expect(pathPart('localhost:5000/team/app:1.0')).toBe('localhost:5000/team/app:1.0')
    expect(pathPart('app@sha256:abc')).toBe('app@sha256:abc')
    expect(pathPart('a b?c#d')).toBe('a%20b%3Fc%23d')
  })
})

describe('engine-http: errors keep docker-modem\'s shape', () => {
  it('carries statusCode and json, and a message errors.ts strips to the engine\'s words', () => {
    const error = new EngineHttpError(404, {message: 'No such image: nope:latest'})
    expect(error).toMatchObject({statusCode: 404, json: {message: 'No such image: nope:latest'}})
    expect(error.message).toBe('(HTTP code 404) not found - No such image: nope:latest ')
    expect(engineMessage(error)).toBe('No such image: nope:latest')
    expect(engineMessage(new EngineHttpError(500, 'plain text answer'))).toBe('plain text answer')
  })

  it('maps to the same dk errors and exit codes', () => {
    expect(apiError(new EngineHttpError(404, {message: 'No such image: nope:latest'}), {action: 'x', subject: 'image: nope'})).toMatchObject({exitCode: 4, code: 'NOT_FOUND', message: 'No such image: nope.'})
    expect(apiError(new EngineHttpError(409, {message: 'conflict: unable to delete'}), {action: 'remove image nope'})).toMatchObject({exitCode: 1, code: 'CONFLICT', message: 'Cannot remove image nope: conflict: unable to delete'})
    expect(apiError(new EngineHttpError(502, ''), {action: 'x'})).toMatchObject({exitCode: 1, code: 'ENGINE_502'})
  })
})
