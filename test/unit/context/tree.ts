/** Build small context directories on disk for the context tests. */
import {execFileSync} from 'node:child_process'
import {chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

export type Node = string | Buffer | {dir: true; mode?: number} | {symlink: string} | {hardlink: string} | {fifo: true} | {file: string; mode: number}

const roots: string[] = []

/** A fresh directory holding `tree`; paths are relative to it. Removed by `cleanupTrees`. */
export function makeTree(tree: Record<string, Node>): string {
  const root = mkdtempSync(join(tmpdir(), 'dkt-context-unit-'))
  roots.push(root)
  return writeTree(root, tree)
}

/** Write `tree` into the existing directory `root` (hard-link targets are relative to it too). */
export function writeTree(root: string, tree: Record<string, Node>): string {
  const links: Array<[string, string]> = []
  for (const [path, node] of Object.entries(tree)) {
    const abs = join(root, path)
    mkdirSync(dirname(abs), {recursive: true})
    if (typeof node === 'string' || Buffer.isBuffer(node)) writeFileSync(abs, node)
    else if ('dir' in node) {
      mkdirSync(abs, {recursive: true})
      if (node.mode !== undefined) chmodSync(abs, node.mode)
    } else if ('symlink' in node) symlinkSync(node.symlink, abs)
    else if ('hardlink' in node) links.push([join(root, node.hardlink), abs])
    else if ('fifo' in node) execFileSync('mkfifo', [abs])
    else {
      writeFileSync(abs, node.file)
      chmodSync(abs, node.mode)
    }
  }
  for (const [target, abs] of links) linkSync(target, abs)
  return root
}

export function cleanupTrees(): void {
  for (const root of roots.splice(0)) {
    try {
      execFileSync('chmod', ['-R', 'u+rwx', root])
    } catch {
      // best effort
    }
    rmSync(root, {recursive: true, force: true})
  }
}
