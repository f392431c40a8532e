/** `dk lint`: the definition behind commands/lint.ts and the fast path (see ../command-spec.ts). */
import {defineCommand} from '../command-spec.js'

// Kept literal here (not imported) so that loading this definition loads no lint code.
const FORMATS = ['stylish', 'json', 'sarif', 'checkstyle', 'github'] as const
const SEVERITIES = ['error', 'warning', 'info', 'style'] as const

export const lint = defineCommand({
  id: 'lint',
  summary: 'Lint Dockerfiles: correctness, good practice and workshop rules, with fixes',
  description: `Lints files, directories (recursively: Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile; node_modules and .git skipped) or - for standard input. Default: ./Dockerfile.

Suppress findings with "# dk ignore=RULE" (next instruction) or "# dk global ignore=RULE" (whole file); "# hadolint ignore=DL3006" and BuildKit's "# check=skip=Name" work too. Settings come from the nearest .dk-lint.yaml above each Dockerfile, or --config.

--format json prints one bare JSON array of findings (hadolint style); --json prints dk's envelope with the findings, a summary and the exit code. When both are given, --json wins.

Exit codes: 0 nothing at or above the failure threshold; 1 findings at or above it, or a file that does not parse; 2 usage (unknown flag, unknown rule, bad config); 4 file or directory not found.`,
  examples: [
    {description: 'Lint ./Dockerfile', command: '<%= config.bin %> lint'},
    {description: 'Every Dockerfile under a directory, failing only on errors', command: '<%= config.bin %> lint . --failure-threshold error'},
    {description: 'Show what --fix would change, then fix', command: '<%= config.bin %> lint Dockerfile --fix-dry-run\n<%= config.bin %> lint Dockerfile --fix'},
    {description: 'SARIF for code scanning', command: '<%= config.bin %> lint . --format sarif > dk.sarif'},
    {description: 'GitHub Actions annotations', command: '<%= config.bin %> lint . --format github'},
    {description: 'From standard input, ignoring one rule', command: '<%= config.bin %> lint - --ignore DK118 < Dockerfile'},
    {description: 'Deis rules as errors', command: '<%= config.bin %> lint --profile deis'},
    {description: 'Explain a rule; list them all', command: '<%= config.bin %> lint --explain DK105\n<%= config.bin %> lint --list-rules'},
  ],
  strict: false,
  args: {
    path: {description: 'Dockerfiles or directories to lint (- reads standard input); default ./Dockerfile', ignoreStdin: true},
  },
  flags: {
    format: {type: 'string', char: 'f', description: 'Output format', options: FORMATS, default: 'stylish'},
    'failure-threshold': {
      type: 'string',
      char: 't',
      description: 'Lowest severity that makes dk lint exit 1 (default: the config file, else warning)',
      options: SEVERITIES,
    },
    'no-fail': {type: 'boolean', description: 'Exit 0 even when there are findings (usage errors still exit 2)'},
    ignore: {type: 'string', description: 'Ignore a rule by id, name or alias (repeatable)', multiple: true, multipleNonGreedy: true},
    config: {type: 'string', char: 'c', description: 'Config file to use instead of the nearest .dk-lint.yaml'},
    profile: {type: 'string', description: 'Rule profile: deis makes the Deis rules errors', options: ['deis']},
    fix: {type: 'boolean', description: 'Rewrite the files with every safe fix applied, then report what is left'},
    'fix-dry-run': {type: 'boolean', description: 'Print the fixes as a unified diff without writing'},
    explain: {type: 'string', description: 'Show a rule: why it matters, a bad and a good example'},
    'list-rules': {type: 'boolean', description: 'List every rule'},
  },

  async run({argv, flags}, io): Promise<unknown> {
    const paths = argv

    if (flags.explain !== undefined) {
      const {explainRule} = await import('../../dockerfile/rule-catalog.js')
      const {renderRulePage} = await import('../../dockerfile/formats/rule-text.js')
      const page = explainRule(flags.explain)
      io.say(renderRulePage(page))
      return page
    }
    if (flags['list-rules']) {
      const {listRules} = await import('../../dockerfile/rule-catalog.js')
      const {renderRuleTable} = await import('../../dockerfile/formats/rule-text.js')
      const rules = listRules()
      io.say(renderRuleTable(rules))
      return rules
    }

    const {runLint, lintJson} = await import('../../dockerfile/lint-run.js')
    const report = await runLint({
      paths,
      ignore: flags.ignore,
      configFile: flags.config,
      profile: flags.profile as 'deis' | undefined,
      failureThreshold: flags['failure-threshold'] as (typeof SEVERITIES)[number] | undefined,
      noFail: flags['no-fail'],
      fix: flags.fix,
      fixDryRun: flags['fix-dry-run'],
    })
    if (report.exitCode !== 0) io.failWith(report.exitCode)
    const data = lintJson(report)
    if (io.json) return data

    if (flags['fix-dry-run']) {
      for (const fix of report.fixes) if (fix.diff) process.stdout.write(fix.diff)
      if (report.fixes.every((f) => !f.diff)) process.stderr.write('Nothing to fix.\n')
      return data
    }
    const {formatResults} = await import('../../dockerfile/formats/index.js')
    const {ruleIndex} = await import('../../dockerfile/lint.js')
    process.stdout.write(formatResults(flags.format as (typeof FORMATS)[number], report.results, {rules: ruleIndex().rules, version: io.version}))
    if (flags.fix) {
      const fixed = report.fixes.reduce((n, f) => n + f.fixed, 0)
      const files = report.fixes.filter((f) => f.fixed > 0).length
      // A summary, not a warning: stderr keeps stdout clean for --format json/sarif.
      const {err, symbols} = await import('../output.js')
      process.stderr.write(fixed > 0 ? `${err().green(symbols().ok)} Fixed ${fixed} problem${fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.\n` : 'Nothing to fix.\n')
    }
    return data
  },
})
