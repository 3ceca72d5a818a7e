// Image-shaped samples in the real app: an image preset opened from the gallery runs; the dock
// shows its particles x̃ beside x̂₀ as grids of images at the scrubbed step (crisp, non-blank);
// PNG and GIF exports hold those grids (the PNG with the graph inside); node cards show a row of
// images; a Compare node over image solvers shows a grid per branch on the shared scrubber; and a
// shape mismatch found only by reading a model file is reported before any node runs, the way
// compile errors are. `checkImagePreset` takes a preset's title, so the same checks can run on
// any image preset (the U-Net one when its model is bundled).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { readPngText } from '../../graph-nodes/math/png';
import { decodeGif } from '../unit/helpers/gif-decode';
import { decodeInBrowser } from './decoded-image';
import { runAndWait, scrubTo, waitForCanvasToSettle } from './editor-helpers';
import { downloadBytes, openThroughFileChooser, withoutFileSystemAccess } from './files-helpers';

const FASHION_TITLE = 'Fashion-MNIST: the exact denoiser memorises';
const UNET_TITLE = 'Fashion-MNIST with a U-Net (ONNX)';
const SIDE_BY_SIDE_TITLE = 'Image solvers side by side';
const presetsFolder = new URL('../../presets/', import.meta.url);

/** Opens the app on the wasm backend, then the preset with this title from the gallery. */
async function openPresetTitled(page: Page, title: string): Promise<void> {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  await page.getByTestId('open-gallery').click();
  const gallery = page.getByTestId('preset-gallery');
  await gallery.locator('.preset-card').filter({ hasText: title }).first().click();
  await expect(gallery).toBeHidden();
  await expect(page.getByTestId('graph-title')).toContainText(title);
  await waitForCanvasToSettle(page);
}

/** Shows a step by dragging the timeline's scrubber with the mouse. */
interface CanvasPixels {
  /** Drawn size and shown size (CSS pixels). */
  width: number;
  height: number;
  cssWidth: number;
  cssHeight: number;
  /** Distinct gray/colour levels and the standard deviation of the red channel. */
  levels: number;
  deviation: number;
  /** Whether any pixel has red, green and blue apart (a colour image). */
  coloured: boolean;
}

/** What a canvas holds, read back from its pixels. */
function canvasPixels(canvas: Locator): Promise<CanvasPixels> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const { width, height } = element;
    const data = element.getContext('2d')!.getImageData(0, 0, width, height).data;
    const levels = new Set<number>();
    let sum = 0;
    let squares = 0;
    let coloured = false;
    for (let p = 0; p < width * height; p++) {
      const [r, g, b] = [data[4 * p]!, data[4 * p + 1]!, data[4 * p + 2]!];
      levels.add((r << 16) | (g << 8) | b);
      sum += r;
      squares += r * r;
      if (r !== g || g !== b) coloured = true;
    }
    const n = width * height;
    const rect = element.getBoundingClientRect();
    return {
      width,
      height,
      cssWidth: rect.width,
      cssHeight: rect.height,
      levels: levels.size,
      deviation: Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2)),
      coloured,
    };
  });
}

/** A grid canvas shows images: many levels, real contrast, drawn 1:1 at a zoom of at least 2. */
async function expectImageGrid(canvas: Locator, count: number): Promise<CanvasPixels> {
  await expect(canvas).toHaveAttribute('data-count', String(count));
  const pixels = await canvasPixels(canvas);
  expect(pixels.levels).toBeGreaterThan(16);
  expect(pixels.deviation).toBeGreaterThan(20);
  // Shown at its drawn size (no CSS scaling, so no smoothing), each image pixel a block.
  const ratio = await canvas.evaluate(() => window.devicePixelRatio || 1);
  expect(Math.abs(pixels.cssWidth - pixels.width / ratio)).toBeLessThan(1);
  expect(Math.abs(pixels.cssHeight - pixels.height / ratio)).toBeLessThan(1);
  expect(Number(await canvas.getAttribute('data-zoom'))).toBeGreaterThanOrEqual(2);
  return pixels;
}

/** The PNG's size from its IHDR chunk. */
function pngSize(bytes: Uint8Array): [number, number] {
  const header = new DataView(bytes.buffer, bytes.byteOffset + 16, 8);
  return [header.getUint32(0), header.getUint32(4)];
}

/**
 * Opens the image preset titled `title`, runs it and checks the dock, the node cards and the
 * exports; returns the shown solver's node id and its step count. Another image preset (the U-Net
 * one) gets the same checks from a test beside the Fashion-MNIST one that calls this.
 */
async function checkImagePreset(
  page: Page,
  title: string,
  testInfo: TestInfo,
  screenshotName: string,
): Promise<{ solver: string; steps: number }> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await withoutFileSystemAccess(page);
  await openPresetTitled(page, title);
  await runAndWait(page);

  // The dock shows image grids, not a scatter plot, and says what they are.
  const dock = page.getByTestId('trajectory-dock');
  await expect(dock.getByTestId('image-frames')).toBeVisible();
  await expect(dock.getByTestId('scatter-points')).toHaveCount(0);
  const caption = page.getByTestId('preview-caption');
  await expect(caption).toContainText('final samples');
  await expect(caption).toContainText(/\d+ images \[\d+(, \d+)*\], x̃ beside x̂₀/);
  const readout = (await page.getByTestId('frame-readout').textContent()) ?? '';
  const steps = Number(/step \d+ \/ (\d+)/.exec(readout)?.[1]);
  expect(steps).toBeGreaterThan(2);
  const solver = /^(\S+) ·/.exec((await caption.textContent()) ?? '')![1]!;

  // Scrub to the middle: both grids show that step's images.
  await scrubTo(page, 0.5);
  const x = page.getByTestId('image-frame-x');
  const x0hat = page.getByTestId('image-frame-x0hat');
  const middle = Number(await x.getAttribute('data-step'));
  expect(Math.abs(middle - steps / 2)).toBeLessThanOrEqual(1);
  await expect(caption).toContainText(`step ${middle} of ${steps}`);
  await expect(x0hat).toHaveAttribute('data-step', String(middle));
  const count = Number(await x.getAttribute('data-count'));
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(16);
  await expectImageGrid(x, count);
  await expectImageGrid(x0hat, count);
  await expect(x).toHaveAttribute('data-shape', /^(1|3),\d+,\d+$|^\d+,\d+$|^\d+$/);
  await page.screenshot({ path: '/tmp/principia-image-dock.png' });
  await page.screenshot({ path: testInfo.outputPath(`${screenshotName}-dock.png`) });

  // The arrow keys step through the frames, as for points.
  await page.keyboard.press('ArrowRight');
  await expect(x).toHaveAttribute('data-step', String(middle + 1));
  await page.keyboard.press('ArrowLeft');
  await expect(x).toHaveAttribute('data-step', String(middle));

  // The first step has no x̂₀ yet, and says so.
  await scrubTo(page, 0);
  await expect(x).toHaveAttribute('data-step', '0');
  await expect(
    dock.locator('figcaption').filter({ hasText: 'none at the first step' }),
  ).toBeVisible();
  await scrubTo(page, 0.5);

  // Node cards: a row of images from the data (or the samples, for a preset without data).
  const previews = page.locator('[data-testid^="node-preview-"]');
  const kinds = await previews.evaluateAll((canvases) =>
    canvases.map((canvas) => canvas.getAttribute('data-kind')),
  );
  const thumbnail = previews.nth(
    kinds.includes('dataset') ? kinds.indexOf('dataset') : kinds.indexOf('samples'),
  );
  await expect(thumbnail).toBeVisible();
  expect(Number(await thumbnail.getAttribute('data-images'))).toBeGreaterThanOrEqual(4);
  const thumbnailPixels = await canvasPixels(thumbnail);
  expect(thumbnailPixels.levels).toBeGreaterThan(8);
  const cardId = (await thumbnail.getAttribute('data-testid'))!.replace('node-preview-', '');
  await page
    .getByTestId(`node-${cardId}`)
    .screenshot({ path: testInfo.outputPath(`${screenshotName}-card.png`) });

  // PNG: the grids of the shown step, with the graph inside.
  const png = await downloadBytes(page, 'export-png');
  expect(png.name).toMatch(new RegExp(`-${solver}-step${middle}\\.png$`));
  const pngBytes = new Uint8Array(png.bytes);
  expect([...pngBytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const [pngWidth, pngHeight] = pngSize(pngBytes);
  expect(pngWidth).toBeGreaterThan(2 * pngHeight * 0.8);
  const graph = JSON.parse(readPngText(pngBytes)['principia.graph']!) as {
    title: string;
    nodes: { id: string }[];
  };
  expect(graph.title).toBe(title);
  expect(graph.nodes.map((node) => node.id)).toContain(solver);
  const decodedPng = await decodeInBrowser(page, png.bytes, 'image/png');
  expect([decodedPng.width, decodedPng.height]).toEqual([pngWidth, pngHeight]);
  expect(decodedPng.redLevels).toBeGreaterThan(32);
  await writeFile(testInfo.outputPath(`${screenshotName}-export.png`), png.bytes);

  // GIF: every step, the same grids, a file Chromium itself decodes.
  const gif = await downloadBytes(page, 'export-gif');
  expect(gif.name).toMatch(new RegExp(`-${solver}\\.gif$`));
  expect(gif.bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const decoded = decodeGif(new Uint8Array(gif.bytes));
  expect(decoded.frames).toHaveLength(steps + 1);
  expect(decoded.loops).toBe(true);
  // The frames differ: noise at the start, images at the end.
  expect(decoded.frames[0]).not.toEqual(decoded.frames.at(-1));
  const decodedGif = await decodeInBrowser(page, gif.bytes, 'image/gif');
  expect([decodedGif.width, decodedGif.height]).toEqual([decoded.width, decoded.height]);

  expect(errors).toEqual([]);
  return { solver, steps };
}

test('Fashion-MNIST preset: image grids in the dock, node cards and exports', async ({
  page,
}, testInfo) => {
  const { solver } = await checkImagePreset(page, FASHION_TITLE, testInfo, 'fashion');
  expect(solver).toBe('solver');
  await expect(page.getByTestId('image-frame-x')).toHaveAttribute('data-shape', '1,28,28');
  await expect(page.getByTestId('image-frame-x')).toHaveAttribute('data-count', '16');
  await expect(page.getByTestId('image-frame-x')).toHaveAttribute('data-channels', '1');
  await expect(page.getByTestId('node-preview-data')).toHaveAttribute('data-kind', 'dataset');
  await expect(page.getByTestId('node-preview-prior')).toHaveAttribute('data-kind', 'samples');
});

test('U-Net preset (ONNX): class-conditional images in the dock, node cards and exports', async ({
  page,
}, testInfo) => {
  const { solver } = await checkImagePreset(page, UNET_TITLE, testInfo, 'unet');
  expect(solver).toBe('solver');
  await expect(page.getByTestId('image-frame-x')).toHaveAttribute('data-shape', '1,28,28');
  await expect(page.getByTestId('image-frame-x')).toHaveAttribute('data-count', '16');
  // Both model nodes ran the bundled network through onnxruntime-web in the worker (wasm here:
  // headless Chromium has no WebGPU adapter).
  await expect(page.getByTestId('onnx-provider')).toHaveText('wasm');
  await expect(page.getByTestId('node-timings')).toContainText(/unconditional \d/);
});

test('Compare tab: a grid of images per solver, moved together by the shared scrubber', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await withoutFileSystemAccess(page);
  await openPresetTitled(page, SIDE_BY_SIDE_TITLE);
  await expect(page.getByTestId('node-compare')).toBeVisible();
  await runAndWait(page);
  await page.getByTestId('tab-compare').click();

  const grids = page.locator('[data-testid^="branch-images-"]');
  await expect(grids).toHaveCount(3);
  // At the end every panel shows its final images.
  for (const grid of await grids.all()) {
    await expect(grid).toHaveAttribute('data-kind', 'images');
    await expect(grid).toHaveAttribute('data-sigma', '0');
    await expectImageGrid(grid, 16);
  }
  // Half way along the shared scrubber, every panel is at the same noise level or just above.
  const scrubber = page.getByTestId('compare-scrubber');
  await scrubber.fill('500');
  const readout = Number(
    /σ̃ = ([\d.e+-]+)/.exec((await page.getByTestId('compare-readout').textContent())!)![1],
  );
  const sigmas: number[] = [];
  for (const grid of await grids.all()) {
    const sigma = Number(await grid.getAttribute('data-sigma'));
    expect(sigma).toBeGreaterThanOrEqual(readout * (1 - 1e-3));
    sigmas.push(sigma);
    await expectImageGrid(grid, 16);
  }
  // Half way is not the end: no panel has reached the data yet.
  expect(Math.min(...sigmas)).toBeGreaterThan(0);
  await page.getByTestId('compare-images').selectOption('x0hat');
  for (const grid of await grids.all()) {
    await expect(grid).toHaveAttribute('data-show', 'x0hat');
    await expectImageGrid(grid, 16);
  }
  await page.screenshot({ path: '/tmp/principia-image-compare.png' });
  await page.screenshot({ path: testInfo.outputPath('compare-images.png') });
  expect(errors).toEqual([]);
});

/**
 * The default preset on colour images: 8 samples of shape [3, 16, 16] and a mixture of two flat
 * images, one red and one blue (channels first, so a mean is 256 red values, 256 green, 256 blue).
 */
function rgbMixture(): string {
  const preset = JSON.parse(readFileSync(new URL('default.graph.json', presetsFolder), 'utf8')) as {
    title: string;
    nodes: { id: string; params: Record<string, unknown> }[];
  };
  const node = (id: string) => preset.nodes.find((candidate) => candidate.id === id)!;
  preset.title = 'Red and blue images';
  node('prior').params = { count: 8, shape: [3, 16, 16], seed: 0 };
  const plane = (value: number) => new Array<number>(256).fill(value);
  node('denoiser').params = {
    weights: [0.5, 0.5],
    means: [
      [...plane(0.8), ...plane(-0.8), ...plane(-0.8)],
      [...plane(-0.8), ...plane(-0.8), ...plane(0.8)],
    ],
    stds: [0.05, 0.05],
  };
  return JSON.stringify(preset);
}

test('RGB images: colour grids in the dock and in the exported PNG', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await withoutFileSystemAccess(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  await openThroughFileChooser(page, 'red-and-blue.graph.json', rgbMixture());
  await expect(page.getByTestId('graph-title')).toContainText('Red and blue images');
  await runAndWait(page);
  await expect(page.getByTestId('preview-caption')).toContainText('8 images [3, 16, 16]');
  for (const id of ['image-frame-x', 'image-frame-x0hat']) {
    const grid = page.getByTestId(id);
    await expect(grid).toHaveAttribute('data-channels', '3');
    const pixels = await canvasPixels(grid);
    expect(pixels.coloured).toBe(true);
  }
  const thumbnail = page.getByTestId('node-preview-solver');
  await expect(thumbnail).toHaveAttribute('data-kind', 'samples');
  expect((await canvasPixels(thumbnail)).coloured).toBe(true);
  const png = await downloadBytes(page, 'export-png');
  const colours = await decodeInBrowser(page, png.bytes, 'image/png');
  // Both kinds of final image appear, drawn in their colours.
  expect(colours.red).toBeGreaterThan(1000);
  expect(colours.blue).toBeGreaterThan(1000);
  await writeFile('/tmp/principia-rgb-export.png', png.bytes);
  expect(errors).toEqual([]);
});

/** The ONNX preset (a model of 2-D points) fed samples of shape [1, 28, 28]. */
function onnxModelOnImages(): string {
  const preset = JSON.parse(
    readFileSync(new URL('bring-your-own-onnx.graph.json', presetsFolder), 'utf8'),
  ) as { nodes: { id: string; params: Record<string, unknown> }[] };
  const node = (id: string) => preset.nodes.find((candidate) => candidate.id === id)!;
  node('prior').params['shape'] = [1, 28, 28];
  // Opened from a file, the graph has no folder: name the model by its path beside the page.
  node('model').params['path'] = 'presets/weights/two-moons-denoiser.onnx';
  return JSON.stringify(preset);
}

test('a shape mismatch found in a model file fails the run before any node runs, like a compile error', async ({
  page,
}) => {
  /** Sets a JSON param in the inspector, as a user would: type, then leave the field. */
  const setShape = async (node: string, value: string) => {
    await page.getByTestId(`node-${node}`).click();
    const field = page.getByRole('textbox', { name: 'Shape', exact: true });
    await field.fill(value);
    await field.blur();
  };
  const status = page.getByTestId('run-status');
  const noNodeRan = async () =>
    expect(page.locator('.run-badge.done, .run-badge.cached')).toHaveCount(0);

  await withoutFileSystemAccess(page);
  // A compile error today: the Fashion-MNIST data and samples of shape [2].
  await openPresetTitled(page, FASHION_TITLE);
  await setShape('prior', '[2]');
  await runAndWait(page, 'failed');
  await expect(status).toContainText(
    /failed: node "solver".*shape \[2\] but input "denoiser" \(from denoiser\.denoiser.*\) has \[1, 28, 28\]/,
  );
  await noNodeRan();

  // Only the ONNX file says the model takes [2]: found by probing, shown the same way. (The
  // graph comes from a file: its samples are images, its model the bundled two-moons one.)
  await page.getByTestId('file-new').click();
  await page.getByRole('button', { name: 'Don’t save' }).click();
  await openThroughFileChooser(page, 'onnx-on-images.graph.json', onnxModelOnImages());
  await expect(page.getByTestId('node-model')).toBeVisible();
  await runAndWait(page, 'failed');
  await expect(status).toContainText(
    /failed: node "solver".*\[1, 28, 28\] but input "denoiser" \(from model\.denoiser.*\) has \[2\]/,
  );
  await noNodeRan();
});
