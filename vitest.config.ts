import {defineConfig} from 'vitest/config'

// Three suites, as DESIGN.md draws them: unit (pure), cli (spawns the built bin/run.js),
// engine (a real Docker engine). Colour is pinned so snapshots do not depend on the terminal.
export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    env: {NO_COLOR: '1', FORCE_COLOR: '0'},
    projects: [
      {extends: true, test: {name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000}},
      {extends: true, test: {name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 60_000}},
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // One engine, two cores: engine files run one at a time so timings and ports stay honest.
          fileParallelism: false,
        },
      },
    ],
  },
})
