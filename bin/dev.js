#!/usr/bin/env -S node --import tsx
// Development entry point: runs the TypeScript sources through tsx, no build step. It ignores
// oclif.manifest.json, which `npm run build` writes for the compiled CLI: a stale manifest would
// hide commands added since.
import {fileURLToPath} from 'node:url'

import {execute} from '@oclif/core'

await execute({development: true, loadOptions: {root: fileURLToPath(new URL('..', import.meta.url)), ignoreManifest: true}})
process.exit(process.exitCode ?? 0)
