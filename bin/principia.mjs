#!/usr/bin/env node
// `npx principia`: starts the TypeScript CLI (graph-nodes/cli/main.ts) through tsx's loader.
// Kept to the minimum because benchmarks time the whole process, startup included.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The engine's heavy plain-JavaScript dependencies, imported natively before tsx's loader is
// registered: through the loader they load about twice as slowly (measured: 0.3–0.5 s of a 1.9 s
// `run`), while ESM's module cache hands the engine these same instances later. Failures are left
// for the engine's own imports to report.
const PRELOADED_FOR = new Map([
  [
    'run',
    [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      'zod',
    ],
  ],
  ['nodes', ['@tensorflow/tfjs-core', 'zod']],
]);
await Promise.allSettled((PRELOADED_FOR.get(process.argv[2]) ?? []).map((name) => import(name)));

// The repository's own tsconfig, not whatever tsconfig sits in the caller's directory.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../graph-nodes/cli/main.ts');
const exitCode = await main(process.argv.slice(2));
// Wait until stdout has taken everything (pipes can be asynchronous), then exit without waiting
// for timers or handles a backend may leave behind.
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(exitCode);
