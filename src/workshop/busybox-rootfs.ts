/**
 * The root filesystem of dk's local `busybox` base image, made from the host's statically linked
 * busybox (Debian's `busybox-static`): /bin/busybox, one symlink per applet, and /etc/passwd and
 * /etc/group with root and an unprivileged `app` user (uid/gid 1000), because busybox-static has
 * no adduser. The tar is deterministic (fixed mtimes, sorted entries) so the same host binary
 * always gives the same layer.
 */
import {spawnSync} from 'node:child_process'
import {closeSync, openSync, readSync, statSync, createReadStream} from 'node:fs'
import type {Readable} from 'node:stream'

import {DkError, NotFoundError} from '../cli/errors.js'

/** Where distributions put a static busybox. */
export const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox', '/usr/lib/busybox/busybox-static']

/** 2015-06-01, the year of the workshop: a fixed mtime keeps the layer reproducible. */
const FIXED_MTIME = new Date('2015-06-01T00:00:00Z')

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n'
const GROUP = 'root:x:0:\napp:x:1000:\nnobody:x:65534:\n'

export interface StaticBusybox {
  path: string
  applets: string[]
  size: number
}

/**
 * True when the ELF file has no program interpreter (PT_INTERP), i.e. it is statically linked and
 * can run in an image that has no libc.
 */
export function isStaticElf(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(64)
    readSync(fd, header, 0, 64, 0)
    if (header.readUInt32BE(0) !== 0x7f454c46) return false
    const is64 = header[4] === 2
    const little = header[5] === 1
    const u16 = (b: Buffer, o: number) => (little ? b.readUInt16LE(o) : b.readUInt16BE(o))
    const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o))
    const phoff = is64 ? Number(little ? header.readBigUInt64LE(32) : header.readBigUInt64BE(32)) : u32(header, 28)
    const phentsize = u16(header, is64 ? 54 : 42)
    const phnum = u16(header, is64 ? 56 : 44)
    const table = Buffer.alloc(phentsize * phnum)
    readSync(fd, table, 0, table.length, phoff)
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === 3) return false
    return true
  } finally {
    closeSync(fd)
  }
}

/** Find a static busybox on this host, or say how to get one. */
export function findStaticBusybox(candidates = BUSYBOX_CANDIDATES): StaticBusybox {
  const dynamic: string[] = []
  for (const path of candidates) {
    let size: number
    try {
      const st = statSync(path)
      if (!st.isFile()) continue
      size = st.size
    } catch {
      continue
    }
    if (!isStaticElf(path)) {
      dynamic.push(path)
      continue
    }
    const list = spawnSync(path, ['--list'], {encoding: 'utf8'})
    if (list.status !== 0) throw new DkError(`${path} --list failed: ${list.stderr || list.error?.message}`)
    const applets = list.stdout.split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox' && /^[\w.[\]-]+$/.test(s)).sort()
    return {path, applets, size}
  }
  const found = dynamic.length > 0 ? ` (${dynamic.join(', ')} is dynamically linked and cannot run alone in an image)` : ''
  throw new NotFoundError(`No statically linked busybox on this machine${found}.`, {
    code: 'BUSYBOX_MISSING',
    hint:
      process.platform === 'linux'
        ? 'Install it: `sudo apt-get install busybox-static` (Debian/Ubuntu), then run `dk setup` again; or `dk load -i` the workshop images from your instructor.'
        : 'On macOS and Windows, load the workshop images from your instructor with `dk load -i workshop-images.tar`, or run `dk setup --pull` where a registry is reachable.',
  })
}

/** The rootfs as a tar stream (tar-stream, imported lazily). */
export async function busyboxRootfsTar(busybox: StaticBusybox): Promise<Readable> {
  const {pack} = await import('tar-stream')
  const tar = pack()
  const dir = (name: string, mode = 0o755) => tar.entry({name: `${name}/`, type: 'directory', mode, mtime: FIXED_MTIME, uid: 0, gid: 0})
  const file = (name: string, content: string, mode = 0o644) => tar.entry({name, mode, mtime: FIXED_MTIME, uid: 0, gid: 0}, content)
  void (async () => {
    try {
      for (const d of ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'usr', 'usr/bin', 'usr/sbin', 'var', 'var/www']) dir(d, d === 'root' ? 0o700 : 0o755)
      tar.entry({name: 'home/app/', type: 'directory', mode: 0o755, mtime: FIXED_MTIME, uid: 1000, gid: 1000})
      dir('tmp', 0o1777)
      file('etc/passwd', PASSWD)
      file('etc/group', GROUP)
      file('etc/hostname', 'busybox\n')
      await new Promise<void>((resolve, reject) => {
        const entry = tar.entry({name: 'bin/busybox', mode: 0o755, size: busybox.size, mtime: FIXED_MTIME, uid: 0, gid: 0}, (error) => (error ? reject(error) : resolve()))
        createReadStream(busybox.path).on('error', reject).pipe(entry)
      })
      for (const applet of busybox.applets) {
        tar.entry({name: `bin/${applet}`, type: 'symlink', linkname: 'busybox', mode: 0o777, mtime: FIXED_MTIME, uid: 0, gid: 0})
      }
      tar.finalize()
    } catch (error) {
      tar.destroy(error as Error)
    }
  })()
  return tar as unknown as Readable
}
