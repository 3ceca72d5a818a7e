// Unit tests (vitest). Browser tests are Playwright's (playwright.config.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // The shared machines are slow and some tests spawn the CLI or run solvers on the cpu backend.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: one worker per core. Forks isolate tfjs's global backend state between files.
    pool: 'forks',
    maxWorkers: 2,
    // Always the full reporter with its closing summary: vitest would otherwise pick a terse
    // reporter when it detects an automated agent, and CI logs need the totals.
    reporters: ['default'],
  },
});
