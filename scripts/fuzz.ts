// `npm run fuzz -- [--cases 100000] [--seed 1]`: the graph fuzzer of test/unit/graph-fuzz.test.ts
// for as long as asked. Prints progress on stderr, then every failure with the graph that caused
// it (saved to fuzz-failures/ to reproduce); exits 1 on any failure.
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../graph-nodes/runtime/node-backend';
import { fuzzGraphs } from '../test/fuzz/fuzz-harness';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } },
});
await initNodeBackend('wasm');
const report = await fuzzGraphs({
  cases: Number(values.cases),
  seed: Number(values.seed),
  onProgress: (done, failures) => process.stderr.write(`\r${done} cases, ${failures} failures`),
});
process.stderr.write('\n');
console.log(
  `${report.cases} cases in ${report.seconds.toFixed(0)} s: ${report.compiled} compiled, ` +
    `${report.ran} ran, ${report.failures.length} failures`,
);
if (report.failures.length) {
  await mkdir('fuzz-failures', { recursive: true });
  for (const failure of report.failures) {
    console.log(`case ${failure.case} (${failure.seedGraph}) ${failure.kind}: ${failure.message}`);
    if (failure.text)
      await writeFile(`fuzz-failures/case-${failure.case}.graph.json`, failure.text);
  }
}
process.exitCode = report.failures.length ? 1 : 0;
