/**
 * File watching for `dk exercise watch`: fs.watch (recursive) where the platform supports it, else
 * polling the folder's files every second (network drives, some Docker Desktop mounts and old
 * kernels miss events; `--poll` forces it). Changes are debounced so an editor's save (write to a
 * temp file, rename) triggers one run.
 */
import {type FSWatcher, watch} from 'node:fs'
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {listFiles} from './scaffold.js'

export interface Watcher {
  mode: 'events' | 'polling'
  close(): void
}

export function watchFolder(dir: string, onChange: (file?: string) => void, options: {poll?: boolean; debounceMs?: number; intervalMs?: number} = {}): Watcher {
  let timer: NodeJS.Timeout | undefined
  let lastFile: string | undefined
  const fire = (file?: string) => {
    // Editors' temp and swap files are not the attendee's work.
    if (file && /(^|\/)(\.#|#)|~$|\.sw[px]$|\.dk-[0-9a-f]+\.tmp$/.test(file)) return
    lastFile = file
    clearTimeout(timer)
    timer = setTimeout(() => onChange(lastFile), options.debounceMs ?? 250)
  }
  if (!options.poll) {
    try {
      const watcher: FSWatcher = watch(dir, {recursive: true}, (_event, file) => fire(file ? String(file) : undefined))
      watcher.on('error', () => undefined)
      return {
        mode: 'events',
        close() {
          clearTimeout(timer)
          watcher.close()
        },
      }
    } catch {
      // ERR_FEATURE_UNAVAILABLE_ON_PLATFORM or EMFILE: fall back to polling.
    }
  }
  let previous = new Map<string, number>()
  let stopped = false
  const snapshot = async () => {
    const now = new Map<string, number>()
    for (const rel of await listFiles(dir).catch(() => [] as string[])) {
      const st = await stat(join(dir, rel)).catch(() => undefined)
      if (st) now.set(rel, st.mtimeMs + st.size)
    }
    return now
  }
  void snapshot().then((first) => {
    previous = first
    const tick = async () => {
      if (stopped) return
      const now = await snapshot()
      const changed = [...now].find(([f, v]) => previous.get(f) !== v)?.[0] ?? [...previous.keys()].find((f) => !now.has(f))
      previous = now
      if (changed) fire(changed)
      if (!stopped) setTimeout(tick, options.intervalMs ?? 1000)
    }
    setTimeout(tick, options.intervalMs ?? 1000)
  })
  return {
    mode: 'polling',
    close() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
