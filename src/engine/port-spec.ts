/**
 * Docker's `-p/--publish` grammar, exactly as the docker CLI parses it (go-connections `nat.ParsePortSpec`
 * after the CLI's `convertToStandardNotation`):
 *
 *   [[HOST_IP:][HOST_PORT[-END]]:]CONTAINER_PORT[-END][/PROTO]     e.g. 8080, 80:8080, 127.0.0.1::8080,
 *   8000-8010:8000-8010, 53:53/udp, [::1]:80:80, 8000-8010:80 (a host range to pick one port from)
 *   published=8080,target=80[,protocol=udp]                        (the long "csv" form)
 *
 * Checked against docker CLI 28: the same specs are accepted and rejected, with the same reasons.
 * Pure: no engine, no I/O.
 */
import {isIP} from 'node:net'

import {UsageError} from '../cli/errors.js'

export type PortProtocol = 'tcp' | 'udp' | 'sctp'

/** One container port and where it is published. Empty hostIp = all interfaces; empty hostPort = any free port. */
export interface PortBinding {
  containerPort: number
  protocol: PortProtocol
  /** "" (all interfaces), "127.0.0.1", "::1" (no brackets). */
  hostIp: string
  /** "" (engine picks), "8080", or a range "8000-8010" to pick one port from. */
  hostPort: string
}

export const PORT_SPEC_FORMS = [
  '8080 (random host port)',
  '80:8080 (host:container)',
  '127.0.0.1:80:8080',
  '127.0.0.1::8080',
  '8000-8010:8000-8010',
  '53:53/udp',
  '[::1]:80:80',
  'published=80,target=8080,protocol=tcp',
]

/** The engine's key for a port: "8080/tcp". */
export function portKey(binding: Pick<PortBinding, 'containerPort' | 'protocol'>): string {
  return `${binding.containerPort}/${binding.protocol}`
}

/** Parse one `-p` value into one binding per container port; UsageError with Docker's reason otherwise. */
export function parsePortSpec(spec: string): PortBinding[] {
  const fail = (reason: string) =>
    new UsageError(`Invalid port spec "${spec}": ${reason}.`, {
      hint: `Accepted forms: ${PORT_SPEC_FORMS.join(', ')}.`,
      details: {spec, reason},
    })
  const standard = toStandardNotation(spec, fail)

  const [rawIp, rawHostPort, rawContainer] = splitParts(standard)
  const [proto, containerPart] = splitProtoPort(rawContainer)
  let ip = rawIp
  if (ip.startsWith('[')) {
    // Go's net.SplitHostPort(ip + ":") accepts exactly "[addr]".
    const match = /^\[([^[\]]*)\]$/.exec(ip)
    if (!match) throw fail(`invalid IP address ${ip}`)
    ip = match[1]
  }
  if (ip !== '' && isIP(ip) === 0) throw fail(`invalid IP address: ${ip}`)
  if (containerPart === '') throw fail(`no port specified: ${spec}<empty>`)

  const container = parsePortRange(containerPart)
  if (!container) throw fail(`invalid containerPort: ${containerPart}`)
  let host: [number, number] = [0, 0]
  if (rawHostPort !== '') {
    const parsed = parsePortRange(rawHostPort)
    if (!parsed) throw fail(`invalid hostPort: ${rawHostPort}`)
    host = parsed
  }
  const containerSpan = container[1] - container[0]
  const hostSpan = host[1] - host[0]
  // A host range with a single container port is a pool to allocate from; otherwise the spans must match.
  if (rawHostPort !== '' && containerSpan !== hostSpan && containerSpan !== 0) {
    throw fail(`invalid ranges specified for container and host Ports: ${containerPart} and ${rawHostPort}`)
  }
  const protocol = proto.toLowerCase()
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') throw fail(`invalid proto: ${proto}`)

  const bindings: PortBinding[] = []
  for (let i = 0; i <= containerSpan; i++) {
    let hostPort = rawHostPort === '' ? '' : String(host[0] + i)
    if (containerSpan === 0 && host[0] !== host[1]) hostPort = `${hostPort}-${host[1]}`
    bindings.push({containerPort: container[0] + i, protocol, hostIp: ip, hostPort})
  }
  return bindings
}

/** Parse several `-p` values (repeated flags). */
export function parsePortSpecs(specs: string[]): PortBinding[] {
  return specs.flatMap((spec) => parsePortSpec(spec))
}

/** The CLI's long syntax `published=8080,target=80,protocol=udp` → "8080:80/udp". */
function toStandardNotation(spec: string, fail: (reason: string) => UsageError): string {
  if (!spec.includes('=')) return spec
  const params: Record<string, string> = {protocol: 'tcp'}
  for (const param of spec.split(',')) {
    const eq = param.indexOf('=')
    if (eq <= 0) throw fail(`invalid publish opts format (should be name=value but got '${param}')`)
    params[param.slice(0, eq)] = param.slice(eq + 1)
  }
  return `${params.published ?? ''}:${params.target ?? ''}/${params.protocol}`
}

/** Go's splitParts: the last part is the container port, the one before the host port, the rest the IP. */
function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':')
  const n = parts.length
  const containerPort = parts[n - 1]
  if (n === 1) return ['', '', containerPort]
  if (n === 2) return ['', parts[0], containerPort]
  return [parts.slice(0, n - 2).join(':'), parts[n - 2], containerPort]
}

function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/')
  if (raw.length === 0 || parts[0].length === 0) return ['', '']
  if (parts.length === 1) return ['tcp', raw]
  if (parts[1].length === 0) return ['tcp', parts[0]]
  return [parts[1], parts[0]]
}

/** Go's ParseUint(s, 10, 16): digits only, 0–65535. */
function parseUint16(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined
  const value = Number(text)
  return value <= 65_535 ? value : undefined
}

/** "8080" or "8000-8010" → [start, end]; undefined when Docker would reject it. */
export function parsePortRange(text: string): [number, number] | undefined {
  if (text === '') return undefined
  if (!text.includes('-')) {
    const port = parseUint16(text)
    return port === undefined ? undefined : [port, port]
  }
  const parts = text.split('-')
  const start = parseUint16(parts[0])
  const end = parseUint16(parts[1])
  if (start === undefined || end === undefined || end < start) return undefined
  return [start, end]
}

/** Docker's `--expose` and image EXPOSE values: "8080", "8080/udp", "8000-8010/tcp". */
export function parseExposed(spec: string): {containerPort: number; protocol: PortProtocol}[] {
  const [proto, port] = splitProtoPort(spec)
  const range = parsePortRange(port)
  const protocol = proto.toLowerCase()
  if (!range || (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp')) {
    throw new UsageError(`Invalid port "${spec}" to expose.`, {hint: 'Use PORT[/PROTO] or START-END[/PROTO], e.g. 8080 or 53/udp.'})
  }
  const out: {containerPort: number; protocol: PortProtocol}[] = []
  for (let p = range[0]; p <= range[1]; p++) out.push({containerPort: p, protocol})
  return out
}
