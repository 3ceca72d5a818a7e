// What the browser benchmarks share: a private production build served by `vite preview` on the
// bench's own port (so a bench never serves or wipes another run's dist-web/), headless Chromium
// that paints as fast as the work allows, and small statistics.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions } from '@playwright/test';
import { LAUNCHED_STORAGE_KEY } from '../renderer/run/launch-marker';
import { CHROMIUM_PATH } from '../test/browser/chromium-launch';

export interface BenchApp {
  readonly url: string;
  stop(): void;
}

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`preview server did not start at ${url}`);
}

/** Builds the web app into a temporary folder and serves it on `port`. */
export async function startBenchApp(
  name: string,
  port: number,
  options: { minify?: boolean } = {},
): Promise<BenchApp> {
  const outDir = mkdtempSync(join(tmpdir(), `principia-${name}-`));
  const vite = ['vite', '--config', 'vite.web.config.ts', '--outDir', outDir];
  process.stdout.write('building the web app…\n');
  const minify = options.minify === false ? ['--minify', 'false'] : [];
  const build = spawnSync(
    'npx',
    [...vite.slice(0, 1), 'build', ...vite.slice(1), '--emptyOutDir', ...minify],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) throw new Error('the web build failed');
  const server = spawn(
    'npx',
    [...vite.slice(0, 1), 'preview', ...vite.slice(1), '--port', String(port), '--strictPort'],
    { stdio: 'ignore', detached: true },
  );
  const url = `http://127.0.0.1:${port}/`;
  let exited = false;
  server.once('exit', () => (exited = true));
  const stop = () => {
    if (server.pid && !exited) process.kill(-server.pid);
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await waitForServer(url);
    // Its server gone (--strictPort: the port was taken), whatever answered is not this build.
    if (exited) throw new Error(`port ${port} is taken by another server: stop it and run again`);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, stop };
}

/**
 * Headless Chromium asked to draw frames as fast as the work allows. Headless mode still ticks
 * its frames at about 60 Hz (measured: 58 rAF/s on an empty page), so benches time a frame's
 * work, not the wait for the next tick.
 */
export function launchBenchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--disable-gpu-vsync',
      '--disable-frame-rate-limit',
      ...extraArgs,
    ],
  });
}

/** A page's storage for a returning user, so the first-launch run does not run during a bench. */
export function returningUser(url: string): BrowserContextOptions['storageState'] {
  return {
    cookies: [],
    origins: [
      {
        origin: new URL(url).origin,
        localStorage: [{ name: LAUNCHED_STORAGE_KEY, value: 'returning user' }],
      },
    ],
  };
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}
