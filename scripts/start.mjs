#!/usr/bin/env node
// `npm start [-- --port N]`: the desktop app where Electron's binary is installed or can be
// downloaded; otherwise the same renderer served for a browser, with its URL printed. Electron's
// npm package is always installed, but its binary comes from GitHub on first use (not at install
// time), which some machines cannot reach, so its absence is normal, not an error.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The port the browser build asks for first; when it is busy the next free one is taken. */
const DEFAULT_PORT = 5173;

function readPort() {
  try {
    const { values } = parseArgs({ options: { port: { type: 'string' } } });
    if (values.port === undefined) return DEFAULT_PORT;
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`bad port ${values.port}`);
    return port;
  } catch (error) {
    console.error(`npm start: ${error.message}`);
    console.error(
      'usage: npm start [-- --port N]   (N: the first port to try for the browser build)',
    );
    process.exit(2);
  }
}

/**
 * Electron's package resolves to the path of its binary, downloading it first when it is missing
 * (since Electron 42 the download happens on first use, not at install). Returns the binary, or
 * why there is none.
 */
function electronBinary() {
  try {
    require.resolve('electron');
  } catch {
    return { reason: 'its npm package is not installed: run npm install' };
  }
  try {
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { reason: `its binary is missing: ${binary}` };
  } catch {
    return { reason: 'its binary is not installed and could not be downloaded' };
  }
}

function run(command, args, env) {
  const child = spawn(command, args, { cwd: repositoryRoot, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

const localBin = (name) => join(repositoryRoot, 'node_modules', '.bin', name);

const port = readPort();
const electron = electronBinary();

if (electron.binary) {
  console.log('Principia: starting the desktop app (electron-vite dev)…');
  // electron-vite runs the binary found here, not one it looks up by itself.
  run(localBin('electron-vite'), ['dev'], { ...process.env, ELECTRON_EXEC_PATH: electron.binary });
} else {
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: join(repositoryRoot, 'vite.web.config.ts'),
    // vite.web.config.ts pins its port for `npm run dev:web`; here a busy port is no reason to
    // fail: Vite tries the next one up until one is free.
    server: { port, strictPort: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${actualPort}/`;
  console.log('');
  console.log(`  Electron is not available here (${electron.reason}),`);
  console.log('  so Principia runs in the browser instead.');
  if (actualPort !== port) console.log(`  Port ${port} is busy; using ${actualPort}.`);
  console.log(`  Open ${url}`);
  console.log('  (Ctrl+C stops the server.)');
  console.log('');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => void server.close().then(() => process.exit(0)));
  }
}
