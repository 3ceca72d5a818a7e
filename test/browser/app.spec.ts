// The app end to end: the default preset appears on the canvas, a run finishes on some tfjs
// backend, and the solver's samples are drawn where the target mixture puts its mass.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

interface PresetDocument {
  nodes: { id: string; type: string; params: Record<string, unknown> }[];
  edges: unknown[];
}

const preset = JSON.parse(
  readFileSync(new URL('../../presets/default.graph.json', import.meta.url), 'utf8'),
) as PresetDocument;
const mixtureNode = preset.nodes.find((node) => node.type === 'gmm-denoiser');
const means = (mixtureNode?.params['means'] ?? []) as [number, number][];
const stds = (mixtureNode?.params['stds'] ?? []) as number[];
const largestStd = Math.max(...stds);

interface PixelCensus {
  /** Painted pixels within `nearRadius` (data units) of each mean. */
  nearEachMean: number[];
  /** Painted pixels within `nearRadius` of some mean. */
  nearAnyMean: number;
  /** Painted pixels far (farther than `farRadius`) from every mean. */
  farFromAll: number;
  total: number;
}

/** Counts the points canvas's painted pixels by where they lie in data coordinates. */
function censusOfPaintedPixels(
  page: Page,
  nearRadius: number,
  farRadius: number,
): Promise<PixelCensus> {
  return page.getByTestId('scatter-points').evaluate(
    (element, { means, nearRadius, farRadius }) => {
      const canvas = element as HTMLCanvasElement;
      const view = JSON.parse(canvas.dataset['view'] ?? 'null') as {
        xMin: number;
        xMax: number;
        yMin: number;
        yMax: number;
        width: number;
        height: number;
      } | null;
      if (!view) throw new Error('the scatter canvas has no data-view');
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const census = { nearEachMean: means.map(() => 0), nearAnyMean: 0, farFromAll: 0, total: 0 };
      for (let row = 0; row < canvas.height; row++) {
        for (let column = 0; column < canvas.width; column++) {
          if (pixels[(row * canvas.width + column) * 4 + 3] === 0) continue;
          census.total++;
          // Pixel centre → data coordinates (canvas y grows downwards).
          const x = view.xMin + ((column + 0.5) / view.width) * (view.xMax - view.xMin);
          const y = view.yMax - ((row + 0.5) / view.height) * (view.yMax - view.yMin);
          let nearest = Infinity;
          means.forEach(([mx, my], index) => {
            const distance = Math.hypot(x - mx, y - my);
            nearest = Math.min(nearest, distance);
            if (distance <= nearRadius) census.nearEachMean[index]!++;
          });
          if (nearest <= nearRadius) census.nearAnyMean++;
          if (nearest > farRadius) census.farFromAll++;
        }
      }
      return census;
    },
    { means, nearRadius, farRadius },
  );
}

// `auto` takes whatever the fallback chain picks here (wasm: headless Chromium's WebGL is
// SwiftShader, a software renderer, which auto passes over); `webgl` asks for WebGL anyway, so the
// GPU backend's ops keep running in CI; `wasm` pins the fallback that machines without a GPU use.
for (const backendChoice of ['auto', 'webgl', 'wasm'] as const) {
  test(`runs the default preset (${backendChoice} backend) and draws its samples on the mixture`, async ({
    page,
  }, testInfo) => {
    expect(means.length, 'the preset has a Gaussian-mixture denoiser').toBeGreaterThanOrEqual(4);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(backendChoice === 'auto' ? '/' : `/?backend=${backendChoice}`);

    // The preset's graph is on the canvas: every node as a card, every edge as a wire.
    for (const node of preset.nodes)
      await expect(page.getByTestId(`node-${node.id}`)).toBeVisible();
    await expect(page.locator('.react-flow__edge')).toHaveCount(preset.edges.length);
    await expect(page.getByTestId('node-solver')).toContainText('noise');
    await expect(page.getByTestId('node-solver')).toContainText('heun');

    // Nothing is drawn before a run.
    await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-view', /xMin/);
    expect((await censusOfPaintedPixels(page, 1, 1)).total).toBe(0);

    // A backend is chosen and named.
    await expect(page.getByTestId('backend')).toHaveText(
      backendChoice === 'auto' ? /^(webgpu|webgl|wasm|cpu)$/ : backendChoice,
      { timeout: 60_000 },
    );
    const backend = await page.getByTestId('backend').textContent();

    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
      timeout: 150_000,
    });
    await expect(page.getByTestId('run-status')).toContainText('done in');
    await expect(page.getByTestId('node-timings')).toContainText(/solver [\d.]+ m?s \(\d+ NFE\)/);
    await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-point-count', '2000');
    await expect(page.getByTestId('preview-caption')).toContainText('final samples');

    // Points sit on the mixture: some near every mean, essentially all within a few std of one,
    // none in the empty centre or out beyond the ring.
    const census = await censusOfPaintedPixels(page, 3 * largestStd, 6 * largestStd);
    testInfo.annotations.push({ type: 'backend', description: backend ?? '' });
    testInfo.annotations.push({ type: 'pixel census', description: JSON.stringify(census) });
    for (const [index, count] of census.nearEachMean.entries()) {
      expect(count, `painted pixels near mean ${index} (${means[index]})`).toBeGreaterThan(50);
    }
    expect(census.nearAnyMean / census.total).toBeGreaterThan(0.97);
    expect(census.farFromAll).toBe(0);

    const screenshot = testInfo.outputPath('app-after-run.png');
    await page.screenshot({ path: screenshot });
    await testInfo.attach('app after run', { path: screenshot, contentType: 'image/png' });
    expect(consoleErrors.filter((text) => !/WebGPU|adapter/i.test(text))).toEqual([]);
  });
}

test('the page is cross-origin isolated, so the wasm kernels may use threads', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});
