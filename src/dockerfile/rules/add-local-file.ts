import type {Rule} from '../rule.js'
import {execForm} from '../exec-form.js'
import {flagsOf} from '../instruction-utils.js'

const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$/i
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i
/** Flags COPY does not have: converting would change or break the instruction. */
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack'])

export const addLocalFile: Rule = {
  id: 'DK204',
  name: 'add-local-file',
  summary: 'ADD of local files: use COPY (ADD is for URLs and archives to extract)',
  severity: 'warning',
  aliases: ['hadolint:DL3020'],
  fixable: true,
  docs: {
    why:
      'ADD does more than copy: it downloads URLs and unpacks local tar archives. For an ordinary file that magic is a trap ' +
      '(rename app.txt to app.tar one day and it gets extracted instead of copied). COPY does exactly one thing, so the ' +
      'Dockerfile says what it means. dk stays silent when ADD is used for what only ADD can do: a URL, a git repository, ' +
      'or a local archive (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar.zst) that you want unpacked.',
    bad: 'FROM busybox:latest\nADD server.sh /usr/local/bin/',
    good: 'FROM busybox:latest\nCOPY server.sh /usr/local/bin/',
  },
  check({model, report}) {
    for (const stage of model.stages) {
      for (const add of stage.instructions) {
        if (add.getKeyword() !== 'ADD') continue
        const exec = execForm(model, add)
        const args = exec ? exec.map((e) => e.value) : add.getArguments().map((a) => a.getValue())
        const sources = args.slice(0, -1)
        if (sources.length === 0) continue
        // A $VAR may hold a URL; an archive or URL is ADD's own job.
        if (sources.some((s) => s.includes('$') || REMOTE.test(s) || ARCHIVE.test(s))) continue
        const flags = flagsOf(add)
        const convertible = !flags.some((f) => ADD_ONLY_FLAGS.has(f.getName()))
        report({
          range: add.getInstructionRange(),
          message: `ADD of local ${sources.length === 1 ? `'${sources[0]}'` : 'files'}: use COPY, which only copies (ADD also fetches URLs and unpacks archives)`,
          fix: convertible ? [{range: add.getInstructionRange(), newText: add.getInstruction() === 'add' ? 'copy' : 'COPY'}] : undefined,
        })
      }
    }
  },
}
