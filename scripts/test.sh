#!/usr/bin/env bash
# The whole test suite, from a fresh machine: install, build, bring the engine up, make the base
# images, then run the unit, cli and engine suites and the exercises' self-test. README's command 2.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run clean && npm run build
bash scripts/engine-up.sh
node bin/run.js setup
npx vitest run "$@"
