#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed; otherwise the same renderer served for
// a browser, with its URL printed. Electron is an optional dependency whose binary cannot be
// downloaded everywhere, so its absence is normal, not an error.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Electron's npm package resolves to the path of its binary, which exists only after a good install. */
function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: repositoryRoot, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

const localBin = (name) => join(repositoryRoot, 'node_modules', '.bin', name);

if (electronBinary()) {
  console.log('Principia: starting the desktop app (electron-vite dev)…');
  run(localBin('electron-vite'), ['dev']);
} else {
  const { createServer } = await import('vite');
  const server = await createServer({ configFile: join(repositoryRoot, 'vite.web.config.ts') });
  await server.listen();
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.server.port}/`;
  console.log('');
  console.log('  Electron is not installed here, so Principia runs in the browser instead.');
  console.log(`  Open ${url}`);
  console.log('  (Ctrl+C stops the server.)');
  console.log('');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => void server.close().then(() => process.exit(0)));
  }
}
