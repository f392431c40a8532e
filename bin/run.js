#!/usr/bin/env node
// The installed entry point: runs the compiled commands in dist/.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
// Exit explicitly: an idle keep-alive socket to the engine must not keep the process alive.
process.exit(process.exitCode ?? 0)
