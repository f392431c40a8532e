import type {Rule} from '../rule.js'

/** Linux signal names Docker's signal.ParseSignal accepts (without the SIG prefix). */
const SIGNALS = new Set([
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF',
  'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'UNUSED', 'URG', 'USR1', 'USR2',
  'VTALRM', 'WINCH', 'XCPU', 'XFSZ', 'RTMIN', 'RTMAX',
])

export const stopsignalInvalid: Rule = {
  id: 'DK116',
  name: 'stopsignal-invalid',
  summary: 'STOPSIGNAL is not a valid signal',
  severity: 'error',
  aliases: ['dockerfile-utils:INVALID_SIGNAL'],
  fixable: false,
  docs: {
    why: '`docker stop` sends the STOPSIGNAL to PID 1, then SIGKILL after the timeout. It must be a signal name (SIGTERM, SIGQUIT, SIGRTMIN+3) or a number from 1 to 64; anything else makes `docker stop` fail to deliver it.',
    bad: 'FROM busybox\nSTOPSIGNAL SIGTERMINATE\n',
    good: 'FROM busybox\nSTOPSIGNAL SIGQUIT\n',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'STOPSIGNAL') continue
        const arg = instruction.getArguments()[0]
        if (!arg) continue
        const value = arg.getValue()
        if (value.includes('$') || isSignal(value)) continue
        report({range: arg.getRange(), message: `Invalid STOPSIGNAL '${value}': use a signal name like SIGTERM or SIGQUIT, or a number from 1 to 64`})
      }
    }
  },
}

function isSignal(value: string): boolean {
  if (/^\d+$/.test(value)) return Number(value) >= 1 && Number(value) <= 64
  const name = value.toUpperCase().replace(/^SIG/, '')
  const rt = /^RT(MIN|MAX)([+-]\d+)?$/.exec(name)
  if (rt) return true
  return SIGNALS.has(name)
}
