/**
 * How an app tells `dk twelve-factor --run` what to probe, as image labels (so they travel with the
 * image and work with `--image` too). Flags override labels.
 *
 *   io.dk.twelve-factor.protocol     http (default) | tcp   — tcp for services that do not speak HTTP
 *   io.dk.twelve-factor.probe-path   /                      — where the config value should show (http)
 *   io.dk.twelve-factor.config-var   GREETING               — the variable the app reads its config from
 *   io.dk.twelve-factor.tcp-send     "stats\r\n"            — bytes to send after connecting (tcp; \r \n \t escapes)
 */
import {UsageError} from '../cli/errors.js'

export const DECLARATION_LABELS = {
  protocol: 'io.dk.twelve-factor.protocol',
  probePath: 'io.dk.twelve-factor.probe-path',
  configVar: 'io.dk.twelve-factor.config-var',
  tcpSend: 'io.dk.twelve-factor.tcp-send',
} as const

export interface ProbeDeclaration {
  protocol: 'http' | 'tcp'
  probePath: string
  /** Undefined: the app did not say which variable carries its config. */
  configVar?: string
  tcpSend?: string
  /** Where each setting came from, for the evidence ("label", "flag", "default"). */
  sources: Record<'protocol' | 'probePath' | 'configVar', 'flag' | 'label' | 'default'>
}

export interface DeclarationOverrides {
  protocol?: string
  probePath?: string
  configVar?: string
}

export function resolveDeclaration(labels: Record<string, string>, flags: DeclarationOverrides = {}): ProbeDeclaration {
  const pick = (flag: string | undefined, label: string | undefined, fallback?: string) =>
    flag !== undefined ? {value: flag, source: 'flag' as const} : label ? {value: label, source: 'label' as const} : {value: fallback, source: 'default' as const}
  const protocol = pick(flags.protocol, labels[DECLARATION_LABELS.protocol], 'http')
  const probePath = pick(flags.probePath, labels[DECLARATION_LABELS.probePath], '/')
  const configVar = pick(flags.configVar, labels[DECLARATION_LABELS.configVar])
  const proto = (protocol.value ?? 'http').toLowerCase()
  if (proto !== 'http' && proto !== 'tcp') {
    throw new UsageError(`Unknown probe protocol "${protocol.value}" (from ${protocol.source === 'flag' ? '--protocol' : `label ${DECLARATION_LABELS.protocol}`}).`, {
      hint: 'Use http or tcp.',
    })
  }
  const path = probePath.value ?? '/'
  if (!path.startsWith('/')) throw new UsageError(`The probe path must start with "/": ${path}`, {hint: 'For example --probe-path /health.'})
  if (configVar.value !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(configVar.value)) {
    throw new UsageError(`"${configVar.value}" is not a valid environment variable name.`, {hint: 'Use letters, digits and underscores, e.g. GREETING.'})
  }
  return {
    protocol: proto,
    probePath: path,
    configVar: configVar.value,
    tcpSend: labels[DECLARATION_LABELS.tcpSend] ? unescapeSend(labels[DECLARATION_LABELS.tcpSend]) : undefined,
    sources: {protocol: protocol.source, probePath: probePath.source, configVar: configVar.source},
  }
}

/** Labels cannot hold control characters comfortably; `\r`, `\n`, `\t` and `\\` are escapes here. */
export function unescapeSend(text: string): string {
  return text.replace(/\\([rnt\\])/g, (_, c: string) => ({r: '\r', n: '\n', t: '\t', '\\': '\\'})[c] ?? c)
}
