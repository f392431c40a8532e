/**
 * Which files `dk lint DIR` lints: `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`,
 * `Containerfile` and `Containerfile.*`, found recursively, skipping `node_modules` and `.git`.
 * BuildKit's per-Dockerfile ignore files (`Dockerfile.dockerignore`) are not Dockerfiles.
 * Symbolic links are not followed while walking (no loops, no escaping the tree); a path the user
 * names explicitly is always linted, whatever its name.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

const SKIP_DIRS = new Set(['node_modules', '.git'])

export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false
  return (
    name === 'Dockerfile' ||
    name.startsWith('Dockerfile.') ||
    name.endsWith('.Dockerfile') ||
    name.endsWith('.dockerfile') ||
    name === 'Containerfile' ||
    name.startsWith('Containerfile.')
  )
}

/** Dockerfiles under `dir`, as paths joined onto `dir`, sorted for stable output. */
export async function discoverDockerfiles(dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, {withFileTypes: true})
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(join(current, entry.name))
      } else if (entry.isFile() && isDockerfileName(entry.name)) {
        found.push(join(current, entry.name))
      }
    }
  }
  await walk(dir)
  return found
}
