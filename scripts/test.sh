#!/usr/bin/env bash
# The whole test suite, from a fresh machine: install, build, bring the engine up, make the base
# images, then run the unit, cli and engine suites and the exercises' self-test. README's command 2.
set -euo pipefail
# pipefail also makes `check | tee` fail when the check fails.
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run clean
npm run build
bash scripts/engine-up.sh
node bin/run.js setup --debian

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
for suite in unit cli engine; do
  echo "=== $suite suite ==="
  npx vitest run --project "$suite" --reporter=default --reporter=json --outputFile.json="$results/$suite.json" "$@" || status=1
done

echo "=== exercises self-test ==="
npm run --silent check:exercises 2>&1 | tee "$results/exercises.txt" || status=1

# One summary line per suite and a total, so a reader (and CI) sees that each suite really ran.
node -e '
  const fs = require("node:fs"), path = require("node:path")
  let p = 0, f = 0, s = 0
  for (const suite of ["unit", "cli", "engine"]) {
    const file = path.join(process.argv[1], suite + ".json")
    if (!fs.existsSync(file)) { console.log(`${suite}: no results`); f++; continue }
    const r = JSON.parse(fs.readFileSync(file, "utf8"))
    const skipped = r.numPendingTests + r.numTodoTests
    console.log(`${suite}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
    p += r.numPassedTests; f += r.numFailedTests; s += skipped
  }
  const self = fs.existsSync(path.join(process.argv[1], "exercises.txt")) ? fs.readFileSync(path.join(process.argv[1], "exercises.txt"), "utf8") : ""
  const m = /^(\d+) passed, (\d+) failed/m.exec(self)
  if (m) { console.log(`exercises self-test: ${m[1]} passed, ${m[2]} failed`); p += +m[1]; f += +m[2] }
  else { console.log("exercises self-test: no results"); f++ }
  console.log(`${p} passed, ${f} failed, ${s} skipped`)
' "$results"
exit $status
