// The device check of issue 12 (run by scripts/gpu-check.sh): the image workload in Chromium with
// WebGPU and with WebGL, each with the exact denoiser as tfjs kernels on the device (?exact=device)
// and in float64 on the CPU (?exact=cpu), beside Chromium on wasm and the CLI, each timed from the
// Run press (or the process start) to the last frame. Nothing depends on it: it reports what the
// machine it runs on can do, and says so where no GPU adapter is found.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { launchBenchBrowser, median, returningUser, startBenchApp } from './bench-browser';
import { timeImageRun } from './bench-image-run';
import { WEBGPU_SWITCHES } from '../test/browser/chromium-launch';

const PORT = 4394;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
interface BrowserResult {
  readonly backend: string;
  readonly onnx: string;
  /** Where the exact denoiser ran, as the status bar says, and why (its tooltip). */
  readonly exact: string;
  readonly adapter: string;
  readonly seconds: readonly number[];
}

async function inChromium(
  browser: Browser,
  url: string,
  backend: string,
  exact: 'auto' | 'device' | 'cpu' = 'auto',
  { timed = true } = {},
): Promise<BrowserResult> {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 860 },
    storageState: returningUser(url),
  });
  try {
    await page.goto(`${url}?backend=${backend}&exact=${exact}`);
    const shown = page.getByTestId('backend');
    // The placement shows once the backend is ready.
    await page.getByTestId('exact-denoisers').waitFor({ timeout: 60_000 });
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return 'none (navigator.gpu is missing)';
      const found = (await gpu.requestAdapter()) as { info?: Record<string, string> } | null;
      if (!found) return 'none (requestAdapter gave null)';
      const info = found.info ?? {};
      return [info['vendor'], info['architecture'], info['device'], info['description']]
        .filter(Boolean)
        .join(' ');
    });
    const seconds = timed ? await timeImageRun(page) : [];
    const placement = page.getByTestId('exact-denoisers');
    return {
      backend: (await shown.textContent()) ?? '?',
      onnx: (await page.getByTestId('onnx-provider').textContent()) ?? '?',
      exact: `${await placement.textContent()} — ${await placement.locator('..').getAttribute('title')}`,
      adapter,
      seconds,
    };
  } finally {
    await page.close();
  }
}

/** The same graph through the CLI on wasm, whole process timed, three times. */
function inCli(): number[] {
  const seconds: number[] = [];
  for (let seed = 100; seed < 103; seed++) {
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        'bin/principia.mjs',
        'run',
        'presets/fashion-mnist-memorises.graph.json',
        '--set',
        'prior.count=64',
        '--set',
        'timesteps.steps=20',
        '--set',
        `prior.seed=${seed}`,
        '--backend',
        'wasm',
        '--json',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`the CLI failed:\n${run.stderr}`);
    seconds.push((performance.now() - started) / 1000);
  }
  return seconds;
}

function line(label: string, seconds: readonly number[]): string {
  return `${label.padEnd(52)} ${seconds.map((s) => s.toFixed(2)).join(', ')} s, median ${median(seconds).toFixed(2)} s`;
}

/** Where 'auto' puts the exact denoisers on `backend`, then the workload with each forced. */
async function onGpuBackend(
  browser: Browser,
  url: string,
  backend: 'webgpu' | 'webgl',
  results: string[],
): Promise<void> {
  const auto = await inChromium(browser, url, backend, 'auto', { timed: false });
  if (backend === 'webgpu') {
    // SwiftShader is Chromium's CPU implementation: WebGPU then runs, but on no GPU.
    const software = /swiftshader/iu.test(auto.adapter) ? ' (software, on the CPU: no GPU)' : '';
    results.push(`WebGPU adapter: ${auto.adapter}${software}`);
  }
  if (auto.backend !== backend) {
    results.push(`${backend} was asked for; the app fell back to ${auto.backend}`);
    return;
  }
  results.push(`${backend}, exact denoisers on 'auto': ${auto.exact}`);
  for (const exact of ['device', 'cpu'] as const) {
    const run = await inChromium(browser, url, backend, exact);
    results.push(
      line(`Chromium, tfjs ${run.backend}, exact D ${exact}, ONNX ${run.onnx}`, run.seconds),
    );
  }
}

async function main(): Promise<void> {
  const app = await startBenchApp('gpu-check', PORT);
  const results: string[] = [];
  try {
    const gpuBrowser = await launchBenchBrowser(WEBGPU_SWITCHES);
    try {
      await onGpuBackend(gpuBrowser, app.url, 'webgpu', results);
    } finally {
      await gpuBrowser.close();
    }
    // WebGL in Chromium's default configuration (the WebGPU switches move ANGLE to Vulkan).
    const browser = await launchBenchBrowser();
    try {
      await onGpuBackend(browser, app.url, 'webgl', results);
      const wasm = await inChromium(browser, app.url, 'wasm');
      results.push(line(`Chromium, tfjs ${wasm.backend}, ONNX ${wasm.onnx}`, wasm.seconds));
    } finally {
      await browser.close();
    }
  } finally {
    app.stop();
  }
  results.push(line('CLI, whole process (tfjs wasm)', inCli()));
  console.log(
    '\nimage workload: Fashion-MNIST exact denoiser, 64 particles, 20 Heun steps\n' +
      results.join('\n'),
  );
}

await main();
