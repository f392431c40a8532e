/** `docker port CONTAINER PORT[/PROTO]`: pick the bindings of one container port, with docker's errors. */
import {UsageError, WorkFailedError} from '../cli/errors.js'
import type {PublishedPort} from './containers.js'

export function selectPort(ports: PublishedPort[], query: string, container: string): PublishedPort[] {
  const slash = query.indexOf('/')
  const port = slash === -1 ? query : query.slice(0, slash)
  const proto = slash === -1 || query.slice(slash + 1) === '' ? 'tcp' : query.slice(slash + 1)
  if (!/^\d+$/.test(port) || Number(port) > 65_535) {
    throw new UsageError(`Invalid port (${port}).`, {hint: 'Give a container port number, optionally with /tcp, /udp or /sctp, e.g. 8080 or 53/udp.'})
  }
  const key = `${Number(port)}/${proto}`
  const chosen = ports.filter((p) => p.containerPort === key)
  if (chosen.length === 0) {
    const published = [...new Set(ports.map((p) => p.containerPort))]
    throw new WorkFailedError(`No public port '${query}' published for ${container}.`, {
      hint: published.length > 0 ? `Published: ${published.join(', ')}.` : `Nothing is published: run it with -p ${port} or -P (with EXPOSE ${port} in the image or --expose ${port}).`,
      code: 'PORT_NOT_PUBLISHED',
    })
  }
  return chosen
}
