// The graph fuzzer in CI: 2,000 mutated presets and fixtures, none of which may crash the engine,
// hang a run, or touch a file outside its folder (test/fuzz/fuzz-harness.ts says what each means).
// `npm run fuzz -- --cases 100000` runs the same fuzzer longer.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { fuzzGraphs } from '../fuzz/fuzz-harness';

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

it('2,000 hostile graphs: no crash, no hang, no file outside the folder', async () => {
  const report = await fuzzGraphs({ cases: 2000, seed: 1 });
  const summary = report.failures
    .slice(0, 5)
    .map(
      (failure) =>
        `case ${failure.case} (${failure.seedGraph}) ${failure.kind}: ${failure.message}`,
    );
  expect(summary).toEqual([]);
  // The mutations leave enough graphs valid for runs to be exercised too.
  expect(report.compiled).toBeGreaterThan(200);
  expect(report.ran).toBe(report.compiled);
}, 120_000);
