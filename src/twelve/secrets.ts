/**
 * Secrets and environment-specific config that must not live in a codebase or an image (factor III).
 * File names catch `.env`, keys and credential stores; content patterns catch private keys, cloud
 * access keys, tokens and literal passwords in config files. A value that is a reference
 * (`${DB_PASSWORD}`, `%(env)s`, `process.env.X`, `ENV['X']`) is not a secret.
 */
export interface SecretHit {
  /** Why this is a secret, e.g. "a private key". */
  what: string
  /** 1-based line (0 when the file name alone is the evidence). */
  line: number
  column: number
  /** The matched text with the secret part masked. */
  excerpt: string
}

const SAFE_ENV_SUFFIX = /\.(example|sample|template|dist|defaults?|tmpl|tpl)$/i

/** Secrets that the file name alone gives away. */
export function secretFileKind(path: string): string | undefined {
  const name = path.split('/').pop() ?? path
  if (/^\.env(\..+)?$/i.test(name) && !SAFE_ENV_SUFFIX.test(name)) return 'an environment file (.env)'
  if (/^id_(rsa|dsa|ecdsa|ed25519)$/.test(name)) return 'an SSH private key'
  if (/\.(pem|key|p12|pfx|jks|keystore)$/i.test(name) && !/\.pub$/i.test(name)) return 'a key or certificate store'
  if (/^(\.netrc|\.pgpass|\.git-credentials|\.htpasswd)$/.test(name)) return 'a credentials file'
  if (path.endsWith('.aws/credentials') || path.endsWith('.docker/config.json')) return 'a credentials file'
  if (/^(credentials|secrets?)\.(json|ya?ml|toml|ini|env)$/i.test(name)) return 'a credentials file'
  return undefined
}

/** Config files that belong to one environment (the app should read the environment instead). */
export function environmentConfigKind(path: string): string | undefined {
  const name = path.split('/').pop() ?? path
  if (!/\.(json|ya?ml|toml|ini|conf|cfg|properties|env|xml)$/i.test(name)) return undefined
  if (/(^|[._-])(prod|production|staging|stage|dev|development|local)([._-]|$)/i.test(name.replace(/\.[^.]+$/, '')))
    return 'configuration for one environment'
  return undefined
}

/** Text files worth scanning for literal credentials. */
export function isConfigLike(path: string): boolean {
  return /\.(json|ya?ml|toml|ini|conf|cfg|properties|env|xml|py|rb|php|js|ts|go|sh|exs?)$/i.test(path) || /(^|\/)(Dockerfile|\.env[^/]*)$/.test(path)
}

const CONTENT_PATTERNS: Array<{what: string; re: RegExp; mask?: number}> = [
  {what: 'a private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----/},
  {what: 'an AWS access key id', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, mask: 4},
  {what: 'a GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, mask: 4},
  {what: 'a Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, mask: 5},
  {what: 'a password in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:([^\s@/'"$]{3,})@/i},
]

/**
 * `password: hunter2`, `"apiKey": "abc123…"`, `SECRET_KEY = 'x…'`: a credential-named key with a
 * literal value. References, empty values and obvious placeholders are skipped.
 */
const ASSIGNMENT =
  /(?:^|[\s{,"'])((?:[A-Za-z0-9_.-]*?)(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|private[_-]?key|client[_-]?secret|token))["']?\s*(?:=|:|=>)\s*["']?([^\s"',;}#]+)/i
const PLACEHOLDER = /^(\$|%|<|\{|process\.env|os\.environ|os\.getenv|env\(|ENV\[|getenv|changeme|change-me|xxx+|\*+|null|none|nil|true|false|""|''|example|placeholder|your[_-])/i

export function scanSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = []
  const lines = text.split(/\r\n|\r|\n/)
  lines.forEach((content, index) => {
    for (const pattern of CONTENT_PATTERNS) {
      const match = pattern.re.exec(content)
      if (match) {
        // A URL keeps its user and host as evidence; only its password is starred.
        const excerpt = match[1] && pattern.what.includes('URL') ? match[0].replace(`:${match[1]}@`, ':***@') : mask(match[0], pattern.mask ?? match[0].length)
        hits.push({what: pattern.what, line: index + 1, column: match.index + 1, excerpt})
        return
      }
    }
    const assignment = ASSIGNMENT.exec(content)
    if (assignment && !PLACEHOLDER.test(assignment[2]) && assignment[2].length >= 4) {
      const column = content.indexOf(assignment[1]) + 1
      hits.push({what: `a literal ${assignment[1]}`, line: index + 1, column, excerpt: `${assignment[1]}=${mask(assignment[2], 0)}`})
    }
  })
  return hits
}

/** Keep the first `keep` characters, star the rest (evidence must not leak the secret). */
function mask(text: string, keep: number): string {
  if (keep >= text.length) return text
  return text.slice(0, keep) + '*'.repeat(Math.min(8, Math.max(3, text.length - keep)))
}
