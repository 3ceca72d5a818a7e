// The device check of issue 12 (run by scripts/gpu-check.sh): the image workload in Chromium with
// WebGPU, beside the same workload in Chromium on wasm and through the CLI, each timed from the
// Run press (or the process start) to the last frame. Nothing depends on it: it reports what the
// machine it runs on can do, and says so where no GPU adapter is found.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { launchBenchBrowser, median, returningUser, startBenchApp } from './bench-browser';
import { timeImageRun } from './bench-image-run';

const PORT = 4394;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Chromium's switches for WebGPU on Linux (its default there is off). */
const WEBGPU_SWITCHES = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan,WebGPU',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
];

interface BrowserResult {
  readonly backend: string;
  readonly onnx: string;
  readonly adapter: string;
  readonly seconds: readonly number[];
}

async function inChromium(browser: Browser, url: string, backend: string): Promise<BrowserResult> {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 860 },
    storageState: returningUser(url),
  });
  try {
    await page.goto(`${url}?backend=${backend}`);
    const shown = page.getByTestId('backend');
    await shown.filter({ hasText: /\w/ }).waitFor({ timeout: 60_000 });
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
    const seconds = await timeImageRun(page);
    return {
      backend: (await shown.textContent()) ?? '?',
      onnx: (await page.getByTestId('onnx-provider').textContent()) ?? '?',
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
  return `${label.padEnd(34)} ${seconds.map((s) => s.toFixed(2)).join(', ')} s, median ${median(seconds).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const app = await startBenchApp('gpu-check', PORT);
  const results: string[] = [];
  try {
    const gpuBrowser = await launchBenchBrowser(WEBGPU_SWITCHES);
    try {
      const gpu = await inChromium(gpuBrowser, app.url, 'webgpu');
      // SwiftShader is Chromium's CPU implementation: WebGPU then runs, but on no GPU.
      const software = /swiftshader/iu.test(gpu.adapter) ? ' (software, on the CPU: no GPU)' : '';
      results.push(`WebGPU adapter: ${gpu.adapter}${software}`);
      results.push(
        line(`Chromium, tfjs ${gpu.backend}, ONNX ${gpu.onnx}`, gpu.seconds) +
          (gpu.backend === 'webgpu' ? '' : '  (WebGPU was asked for; the app fell back)'),
      );
    } finally {
      await gpuBrowser.close();
    }
    const wasmBrowser = await launchBenchBrowser();
    try {
      const wasm = await inChromium(wasmBrowser, app.url, 'wasm');
      results.push(line(`Chromium, tfjs ${wasm.backend}, ONNX ${wasm.onnx}`, wasm.seconds));
    } finally {
      await wasmBrowser.close();
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
