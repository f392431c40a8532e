import type {Rule} from '../rule.js'

const PROTOCOLS = ['tcp', 'udp', 'sctp']

export const exposeInvalid: Rule = {
  id: 'DK106',
  name: 'expose-invalid',
  summary: 'EXPOSE port or protocol is invalid',
  severity: 'error',
  aliases: [
    'hadolint:DL3011',
    'dockerfile-utils:INVALID_PORT',
    'dockerfile-utils:INVALID_PROTO',
    'buildkit:ExposeInvalidFormat',
    'buildkit:ExposeProtoCasing',
  ],
  fixable: false,
  docs: {
    why: 'EXPOSE documents the ports the container listens on: `port`, `port/protocol` or a range `start-end/protocol`, with ports 0–65535 and protocols tcp, udp or sctp. Publishing (`host:container`) belongs to `docker run -p`, not to the image.',
    bad: 'FROM busybox\nEXPOSE 80:8080 70000 53/dns\n',
    good: 'FROM busybox\nEXPOSE 8080 53/udp\n',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'EXPOSE') continue
        for (const arg of instruction.getArguments()) {
          const value = arg.getValue()
          if (value.includes('$')) continue
          const problem = checkPort(value)
          if (problem) report({range: arg.getRange(), message: problem.message, severity: problem.severity})
        }
      }
    }
  },
}

function checkPort(spec: string): {message: string; severity?: 'warning'} | undefined {
  // Nearly every EXPOSE is a plain port number: accept it without the splits below.
  if (isPlainPort(spec)) return undefined
  if (spec.includes(':'))
    return {message: `EXPOSE ${spec} maps ports: an image only declares container ports; publish with \`docker run -p ${spec}\``, severity: 'warning'}
  const [ports, protocol, ...rest] = spec.split('/')
  if (rest.length > 0) return {message: `Invalid EXPOSE value '${spec}': expected port[/protocol]`}
  if (protocol !== undefined) {
    if (!PROTOCOLS.includes(protocol.toLowerCase())) return {message: `Invalid protocol '${protocol}' in EXPOSE ${spec}: use tcp, udp or sctp`}
    if (protocol !== protocol.toLowerCase()) return {message: `Protocol '${protocol}' should be lower case: ${ports}/${protocol.toLowerCase()}`, severity: 'warning'}
  }
  const bounds = ports.split('-')
  if (bounds.length > 2 || bounds.some((b) => !/^\d+$/.test(b))) return {message: `Invalid port '${ports}' in EXPOSE: expected a number 0-65535 or a range like 8000-8010`}
  const numbers = bounds.map(Number)
  if (numbers.some((n) => n > 65_535)) return {message: `Port ${ports} is out of range: ports go from 0 to 65535`}
  if (numbers.length === 2 && numbers[0] > numbers[1]) return {message: `Invalid port range ${ports}: the start is above the end`}
  return undefined
}

/** Digits only, at most 65535 (what the checks below accept for a spec without '/', '-' or ':'). */
function isPlainPort(spec: string): boolean {
  if (spec.length === 0 || spec.length > 5) return false
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return Number(spec) <= 65_535
}
