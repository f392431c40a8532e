import {shippedStages} from '../practice-support.js'
import type {Range, Rule} from '../rule.js'

export interface ExposedPort {
  /** `80/tcp`, or the text as written when it holds a variable. */
  key: string
  range: Range
}

/** The ports an EXPOSE argument declares: `80` → 80/tcp, `8000-8002/udp` → three keys. */
export function portKeys(text: string): string[] {
  if (text.includes('$')) return [text]
  // The common `EXPOSE 8080`: no protocol, no range.
  if (!text.includes('/') && !text.includes('-')) return [`${text}/tcp`]
  const [ports, proto = 'tcp'] = text.split('/')
  const m = /^(\d+)-(\d+)$/.exec(ports)
  if (m) {
    const from = Number(m[1])
    const to = Number(m[2])
    if (to >= from && to - from < 65536) return Array.from({length: to - from + 1}, (_, k) => `${from + k}/${proto.toLowerCase()}`)
  }
  return [`${ports}/${proto.toLowerCase()}`]
}

export const deisExposeOnePort: Rule = {
  id: 'DK302',
  name: 'deis-expose-one-port',
  summary: 'Deis: the image must EXPOSE exactly one port',
  severity: 'warning',
  aliases: [],
  fixable: false,
  docs: {
    why:
      'Deis (like Heroku) routes HTTP traffic to your container through a router that needs to know which port to call. ' +
      'Deis v1 takes the single EXPOSEd port of the image: with none it has nowhere to send requests, with two or more ' +
      'it cannot choose (deis/deis#1156). dk counts every port the image ends up exposing, across all EXPOSE lines of the ' +
      'final stage and the stages it is built from (`EXPOSE 80 443` is two, a range `8000-8010` is eleven). ' +
      'A warning by default; an error with `--profile deis`.',
    bad: 'FROM busybox:latest\nEXPOSE 80 443\nCMD ["httpd", "-f", "-p", "80"]',
    good: 'FROM busybox:latest\nEXPOSE 80\nCMD ["httpd", "-f", "-p", "80"]',
  },
  check({model, options, report}) {
    const final = model.finalStage
    if (!final) return
    const severity = options.profile === 'deis' ? 'error' : undefined
    const seen = new Map<string, ExposedPort>()
    let second: ExposedPort | undefined
    const shipped = shippedStages(model)
    for (let k = shipped.length - 1; k >= 0; k--) {
      for (const expose of shipped[k].instructions) {
        if (expose.getKeyword() !== 'EXPOSE') continue
        for (const arg of expose.getArguments()) {
          for (const key of portKeys(arg.getValue())) {
            if (seen.has(key)) continue
            const port = {key, range: arg.getRange()}
            seen.set(key, port)
            if (seen.size === 2) second = port
          }
        }
      }
    }
    if (seen.size === 0) {
      report({
        range: final.from.getInstructionRange(),
        message: 'The image exposes no port: Deis routes HTTP to the one EXPOSEd port, add EXPOSE <port>',
        severity,
      })
    } else if (second) {
      const list = [...seen.keys()]
      const shown = list.length > 6 ? `${list.slice(0, 5).join(', ')} … (${list.length} ports)` : list.join(', ')
      report({
        range: second.range,
        message: `The image exposes ${list.length} ports (${shown}): Deis needs exactly one, the HTTP port; EXPOSE only that one`,
        severity,
      })
    }
  },
}
