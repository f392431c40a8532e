/**
 * `dk ps` text, identical to `docker ps` (docker CLI 28 formatter): truncated ids, familiar image
 * names, quoted and ellipsised commands, "N minutes ago", grouped port ranges, link names only with
 * --no-trunc, and Go's tabwriter layout (minimum width 10, padding 3).
 */
import {humanDuration, table} from '../cli/output.js'
import type {ContainerSummary} from './containers.js'

/** Docker's TruncateID: drop "sha256:", keep 12 characters. */
export function truncateId(id: string): string {
  const bare = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id
  return bare.slice(0, 12)
}

/** The formatter's Ellipsis: at most `width` characters, the last one "…". */
export function ellipsis(text: string, width: number): string {
  const chars = [...text]
  if (chars.length <= width) return text
  return `${chars.slice(0, width - 1).join('')}…`
}

/** Go's strconv.Quote for the COMMAND column. */
export function goQuote(text: string): string {
  let out = '"'
  for (const ch of text) {
    const code = ch.codePointAt(0) as number
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (code === 7) out += '\\a'
    else if (code === 8) out += '\\b'
    else if (code === 12) out += '\\f'
    else if (code === 11) out += '\\v'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** The IMAGE column: an id when the container was made from an id, else the familiar name without digest. */
export function displayImage(image: string, imageId: string, trunc: boolean): string {
  if (image === '') return '<no image>'
  if (!trunc) return image
  if (truncateId(imageId) === truncateId(image)) return truncateId(image)
  let ref = image
  const at = ref.indexOf('@')
  if (at !== -1) ref = ref.slice(0, at)
  return ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '')
}

type Port = ContainerSummary['ports'][number]

/** Order of netip.Addr.Less: no address, then IPv4, then IPv6, each by value. */
function ipRank(ip: string | undefined): [number, number[]] {
  if (!ip) return [0, []]
  if (!ip.includes(':')) return [1, ip.split('.').map(Number)]
  const [head, tail = ''] = ip.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h
  return [2, groups.map((g) => Number.parseInt(g || '0', 16))]
}

function compareIp(a: string | undefined, b: string | undefined): number {
  const [ka, va] = ipRank(a)
  const [kb, vb] = ipRank(b)
  if (ka !== kb) return ka - kb
  for (let i = 0; i < Math.max(va.length, vb.length); i++) if ((va[i] ?? 0) !== (vb[i] ?? 0)) return (va[i] ?? 0) - (vb[i] ?? 0)
  return 0
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The PORTS column: "0.0.0.0:8000-8002->8000-8002/tcp, 9000/udp". */
export function displayablePorts(input: Port[]): string {
  const ports = [...input].sort((a, b) => {
    if (a.privatePort !== b.privatePort) return a.privatePort - b.privatePort
    const ip = compareIp(a.ip, b.ip)
    if (ip !== 0) return ip
    if ((a.publicPort ?? 0) !== (b.publicPort ?? 0)) return (a.publicPort ?? 0) - (b.publicPort ?? 0)
    return a.type < b.type ? -1 : a.type > b.type ? 1 : 0
  })
  const groups = new Map<string, {first: number; last: number}>()
  const result: string[] = []
  const hostMappings: string[] = []
  for (const port of ports) {
    const current = port.privatePort
    let key = port.type
    if (port.ip) {
      if ((port.publicPort ?? 0) !== current) {
        hostMappings.push(`${joinHostPort(port.ip, String(port.publicPort ?? 0))}->${port.privatePort}/${port.type}`)
        continue
      }
      key = `${port.ip}/${port.type}`
    }
    const group = groups.get(key)
    if (!group) {
      groups.set(key, {first: current, last: current})
      continue
    }
    if (current === group.last + 1) {
      group.last = current
      continue
    }
    result.push(formGroup(key, group.first, group.last))
    // Go replaces the map entry; the key keeps its original position in the final loop.
    group.first = current
    group.last = current
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last))
  return [...result, ...hostMappings].join(', ')
}

function formGroup(key: string, first: number, last: number): string {
  const parts = key.split('/')
  let type = parts[0]
  let ip = ''
  if (parts.length > 1) {
    ip = parts[0]
    type = parts[1]
  }
  let group = String(first)
  if (first !== last) group = `${group}-${last}`
  if (ip !== '') group = `${joinHostPort(ip, group)}->${group}`
  return `${group}/${type}`
}

/** The NAMES column: all names (links included) with --no-trunc, else the first name that is not a link. */
export function displayNames(names: string[], trunc: boolean): string {
  if (!trunc) return names.join(',')
  return names.find((n) => !n.includes('/')) ?? ''
}

export interface PsRow {
  id: string
  image: string
  command: string
  created: string
  status: string
  ports: string
  names: string
}

export function psRow(c: ContainerSummary, options: {noTrunc?: boolean; now?: number} = {}): PsRow {
  const trunc = !options.noTrunc
  return {
    id: trunc ? truncateId(c.id) : c.id,
    image: displayImage(c.image, c.imageId, trunc),
    command: goQuote(trunc ? ellipsis(c.command, 20) : c.command),
    created: `${humanDuration((options.now ?? Date.now()) - c.created * 1000)} ago`,
    status: c.status,
    ports: displayablePorts(c.ports),
    names: displayNames(c.names, trunc),
  }
}

/** The whole `docker ps` table (header included). */
export function psTable(containers: ContainerSummary[], options: {noTrunc?: boolean; now?: number} = {}): string {
  const rows = containers.map((c) => psRow(c, options))
  return table(
    ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'],
    rows.map((r) => [r.id, r.image, r.command, r.created, r.status, r.ports, r.names]),
    {minWidth: 10},
  )
}
