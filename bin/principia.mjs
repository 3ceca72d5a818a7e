#!/usr/bin/env node
// `npx principia`: starts the TypeScript CLI (graph-nodes/cli/main.ts).
//
// Benchmarks time the whole process, start-up included, and loading the engine's ~200 modules
// through tsx's loader costs ~0.3 s of every run (measured: a one-step graph runs in 0.45 s
// through tsx, 0.24 s as one bundle). So the CLI runs from an esbuild bundle of graph-nodes/cli,
// kept in node_modules/.cache and rebuilt (in ~0.1 s) whenever a source file's size or time
// changes; where no bundle can be built or written, it runs through tsx as before.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceFolder = join(root, 'graph-nodes');
const cacheFolder = join(root, 'node_modules', '.cache', 'principia-cli');

/** Size and modification time of every engine source file and the package manifests. */
function sourceFingerprint() {
  const hash = createHash('sha256');
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const stats = statSync(path);
        hash.update(`${path}:${stats.size}:${stats.mtimeMs}\n`);
      }
    }
  };
  walk(sourceFolder);
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) {
    const stats = statSync(join(root, file), { throwIfNoEntry: false });
    if (stats) hash.update(`${file}:${stats.size}:${stats.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The bundle's path, built if it is missing; undefined when it cannot be. */
async function cliBundle() {
  try {
    const bundle = join(cacheFolder, `cli-${sourceFingerprint()}.mjs`);
    if (statSync(bundle, { throwIfNoEntry: false })) return bundle;
    const esbuild = await import('esbuild');
    mkdirSync(cacheFolder, { recursive: true });
    const building = `${bundle}.${process.pid}.tmp.mjs`;
    await esbuild.build({
      entryPoints: [join(sourceFolder, 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Packages load from node_modules as they are (the bundle sits inside node_modules).
      packages: 'external',
      tsconfig: join(root, 'tsconfig.json'),
      outfile: building,
      logLevel: 'silent',
    });
    renameSync(building, bundle);
    // Bundles of older sources (another process's bundle in progress ends in .tmp.mjs).
    for (const name of readdirSync(cacheFolder)) {
      const path = join(cacheFolder, name);
      if (path !== bundle && !name.endsWith('.tmp.mjs')) rmSync(path, { force: true });
    }
    return bundle;
  } catch {
    return undefined;
  }
}

async function loadMain() {
  const bundle = await cliBundle();
  if (bundle) return (await import(pathToFileURL(bundle).href)).main;
  // Through tsx: the engine's heavy plain-JavaScript dependencies first, natively (through the
  // loader they load about twice as slowly), then the TypeScript sources.
  await Promise.allSettled(
    ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'zod'].map((name) => import(name)),
  );
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: join(root, 'tsconfig.json') });
  return (await import(pathToFileURL(join(sourceFolder, 'cli', 'main.ts')).href)).main;
}

const main = await loadMain();
const exitCode = await main(process.argv.slice(2));
// Wait until stdout has taken everything (pipes can be asynchronous), then exit without waiting
// for timers or handles a backend may leave behind.
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(exitCode);
