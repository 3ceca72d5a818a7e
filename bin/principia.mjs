#!/usr/bin/env node
// `npx principia`: starts the TypeScript CLI (graph-nodes/cli/main.ts) through tsx's loader.
// Kept to the minimum because benchmarks time the whole process, startup included.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The repository's own tsconfig, not whatever tsconfig sits in the caller's directory.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../graph-nodes/cli/main.ts');
const exitCode = await main(process.argv.slice(2));
// Wait until stdout has taken everything (pipes can be asynchronous), then exit without waiting
// for timers or handles a backend may leave behind.
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(exitCode);
