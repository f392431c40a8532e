/**
 * Factor II: dependencies declared in a manifest and locked. One entry per ecosystem: the manifest
 * file, the lock files that pin it, and how to make one. Only the project's top folder is looked at
 * (where `docker build` starts); a monorepo is checked per app directory.
 */
export interface Ecosystem {
  name: string
  manifest: string
  locks: string[]
  lockCommand: string
  /** A manifest that pins by itself (requirements.txt with only `==` pins). */
  selfLocked?: (text: string) => boolean
}

export const ECOSYSTEMS: Ecosystem[] = [
  {name: 'npm', manifest: 'package.json', locks: ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'], lockCommand: 'npm install (commit package-lock.json)'},
  {
    name: 'pip',
    manifest: 'requirements.txt',
    locks: [],
    lockCommand: 'pin every requirement with == (pip freeze > requirements.txt, or pip-compile)',
    selfLocked: (text) => {
      const reqs = text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter((l) => l && !l.startsWith('-'))
      return reqs.length === 0 || reqs.every((l) => /==|@\s*\S+:\/\//.test(l))
    },
  },
  {name: 'pipenv', manifest: 'Pipfile', locks: ['Pipfile.lock'], lockCommand: 'pipenv lock'},
  {name: 'python (pyproject)', manifest: 'pyproject.toml', locks: ['poetry.lock', 'uv.lock', 'pdm.lock', 'requirements.txt'], lockCommand: 'poetry lock, uv lock or pdm lock'},
  {name: 'composer', manifest: 'composer.json', locks: ['composer.lock'], lockCommand: 'composer update --lock'},
  {name: 'bundler', manifest: 'Gemfile', locks: ['Gemfile.lock'], lockCommand: 'bundle lock'},
  {
    name: 'go modules',
    manifest: 'go.mod',
    locks: ['go.sum'],
    lockCommand: 'go mod tidy (commit go.sum)',
    // A module without requirements has nothing to lock.
    selfLocked: (text) => !/^\s*require\b/m.test(text),
  },
  {name: 'cargo', manifest: 'Cargo.toml', locks: ['Cargo.lock'], lockCommand: 'cargo generate-lockfile'},
  {name: 'mix', manifest: 'mix.exs', locks: ['mix.lock'], lockCommand: 'mix deps.get'},
]

export interface ManifestVerdict {
  ecosystem: Ecosystem
  lock?: string
  /** The manifest pins its own versions (no separate lock file needed). */
  selfLocked: boolean
}

/** Which ecosystems the top-level files declare, and whether each is locked. */
export function findManifests(topLevel: Set<string>, readText: (name: string) => string | undefined): ManifestVerdict[] {
  const verdicts: ManifestVerdict[] = []
  for (const ecosystem of ECOSYSTEMS) {
    if (!topLevel.has(ecosystem.manifest)) continue
    // requirements.txt next to a pyproject.toml is that project's lock, not a second ecosystem.
    if (ecosystem.name === 'pip' && topLevel.has('pyproject.toml')) continue
    const lock = ecosystem.locks.find((l) => topLevel.has(l))
    const text = ecosystem.selfLocked ? readText(ecosystem.manifest) : undefined
    verdicts.push({ecosystem, lock, selfLocked: !lock && text !== undefined && Boolean(ecosystem.selfLocked?.(text))})
  }
  return verdicts
}
