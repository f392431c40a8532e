/**
 * `dk init`: the starter projects in the package's `templates/` folder. A template is a folder with a
 * Dockerfile and a README.md whose first paragraph describes it; its base image is read from the
 * Dockerfile. Files are copied with their modes (start scripts stay executable); symlinks are
 * never copied, so a template can't point outside the new project.
 *
 * Writing is atomic: into a new DIR, the whole tree is written to a hidden sibling folder and renamed
 * into place; with --force into an existing DIR, each file is a temp file renamed over its target.
 * An interrupted `dk init` leaves no half-written project or file.
 */
import {randomBytes} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {copyFile, lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat} from 'node:fs/promises'
import {basename, dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {NotFoundError, UsageError, fileError} from '../cli/errors.js'
import {closest} from '../cli/suggest.js'
import {dockerfileFacts} from './dockerfile-facts.js'

export interface TemplateInfo {
  name: string
  description: string
  /** Base images of the Dockerfile's final stage ("busybox:latest"). */
  base: string
  /** Files of the template, slash-separated, relative to its folder. */
  files: string[]
  path: string
}

/** The dk package root: the nearest folder upwards with dk's package.json (works from src/ and dist/). */
export function templatesRoot(): string {
  if (process.env.DK_TEMPLATES_DIR) return resolve(process.env.DK_TEMPLATES_DIR)
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && existsSync(join(dir, 'templates'))) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'dk') return join(dir, 'templates')
      } catch {
        // not dk's package.json: keep looking upwards
      }
    }
    if (dirname(dir) === dir) throw new NotFoundError('dk\'s templates folder was not found.', {hint: 'Reinstall dk: templates/ is part of the package.'})
    dir = dirname(dir)
  }
}

export async function listTemplates(root = templatesRoot()): Promise<TemplateInfo[]> {
  let names: string[]
  try {
    names = (await readdir(root, {withFileTypes: true})).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  } catch (error) {
    throw fileError(error, root, 'templates folder')
  }
  const templates: TemplateInfo[] = []
  for (const name of names) {
    const path = join(root, name)
    if (!existsSync(join(path, 'Dockerfile'))) continue
    const readme = await readFile(join(path, 'README.md'), 'utf8').catch(() => '')
    const facts = dockerfileFacts(await readFile(join(path, 'Dockerfile'), 'utf8'))
    templates.push({name, description: firstParagraph(readme), base: facts.from?.value ?? '?', files: await templateFiles(path), path})
  }
  return templates
}

/** The first paragraph after the README's title, on one line. */
export function firstParagraph(markdown: string): string {
  const paragraphs = markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p && !p.startsWith('#'))
  return (paragraphs[0] ?? '').replace(/\s*\n\s*/g, ' ')
}

async function templateFiles(root: string, sub = ''): Promise<string[]> {
  const out: string[] = []
  const entries = (await readdir(join(root, sub), {withFileTypes: true})).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const entry of entries) {
    const rel = sub ? `${sub}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...(await templateFiles(root, rel)))
    else if (entry.isFile()) out.push(rel)
  }
  return out
}

export interface InitOptions {
  template: string
  /** Target folder; default ./<template>. */
  dir?: string
  force?: boolean
  cwd?: string
}

export interface InitResult {
  template: string
  dir: string
  files: string[]
  /** Files that existed and were replaced (--force). */
  overwritten: string[]
  next: string[]
}

export async function initProject(options: InitOptions): Promise<InitResult> {
  const templates = await listTemplates()
  const template = templates.find((t) => t.name === options.template)
  if (!template) {
    const guess = closest(options.template, templates.map((t) => t.name))
    throw new UsageError(`Unknown template "${options.template}".`, {
      hint: `${guess ? `Did you mean ${guess}? ` : ''}Templates: ${templates.map((t) => t.name).join(', ')} (\`dk init --list\`).`,
    })
  }
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? template.name)
  const existing = await stat(dir).catch(() => undefined)
  if (existing && !existing.isDirectory()) throw new UsageError(`${dir} exists and is not a directory.`, {hint: 'Choose another DIR.'})
  const occupied = existing ? (await readdir(dir)).length > 0 : false
  if (occupied && !options.force)
    throw new UsageError(`${dir} is not empty; dk init does not write into an existing project.`, {
      hint: `Choose a new or empty DIR, or add --force to write the template's files into it (files with the same names are replaced).`,
    })

  const overwritten: string[] = []
  if (!occupied) {
    // A whole new tree: build it beside the target, then one rename makes it appear complete.
    await mkdir(dirname(dir), {recursive: true})
    const staging = join(dirname(dir), `.${basename(dir)}.dk-init-${randomBytes(4).toString('hex')}`)
    try {
      for (const file of template.files) await copyOne(template.path, staging, file)
      if (existing) await rmdir(dir)
      await rename(staging, dir)
    } catch (error) {
      await rm(staging, {recursive: true, force: true})
      throw error
    }
  } else {
    for (const file of template.files) {
      const target = join(dir, ...file.split('/'))
      const info = await lstat(target).catch(() => undefined)
      if (info?.isDirectory()) throw new UsageError(`Cannot write ${file}: ${target} is a directory.`, {hint: 'Move it away or choose another DIR.'})
      if (info) overwritten.push(file)
      await copyOne(template.path, dir, file, true)
    }
  }
  const rel = relative(options.cwd ?? process.cwd(), dir) || '.'
  const shown = rel.startsWith('..') ? dir : rel
  const tag = template.name === 'onbuild-base' ? 'team-base:1' : basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')
  return {
    template: template.name,
    dir,
    files: template.files,
    overwritten,
    next: [
      // Factor I: one codebase in revision control; the report card warns otherwise.
      ...(insideGitRepository(dir) ? [] : [`git init ${shown}`]),
      ...(template.base.startsWith('debian:') ? ['dk setup --debian'] : []),
      `dk lint ${join(shown, 'Dockerfile').split(sep).join('/')}`,
      `dk build ${shown} -t ${tag}`,
      `dk twelve-factor ${shown} --run`,
    ],
  }
}

/** Copy one file (with its mode) through a temp file in the target folder, then rename it. */
async function copyOne(fromRoot: string, toRoot: string, file: string, overwrite = false): Promise<void> {
  const source = join(fromRoot, ...file.split('/'))
  const target = join(toRoot, ...file.split('/'))
  await mkdir(dirname(target), {recursive: true})
  if (!overwrite) {
    await copyFile(source, target)
    return
  }
  const temp = join(dirname(target), `.${basename(target)}.dk-${randomBytes(4).toString('hex')}`)
  try {
    await copyFile(source, temp)
    await rename(temp, target)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
}

function insideGitRepository(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true
    if (dirname(d) === d) return false
  }
}
