// The trajectory dock's exports in the real app: the view as PNG with the graph inside (and
// opening that PNG, by the Open dialog or by dropping it, restores the graph), the trajectory as
// .npy, the run as a GIF that Chromium itself can decode.
import { expect, test, type Page } from '@playwright/test';
import { parseNpy } from '../../graph-nodes/math/npy';
import { readPngText } from '../../graph-nodes/math/png';
import { decodeGif } from '../unit/helpers/gif-decode';
import { decodeInBrowser } from './decoded-image';
import { runAndWait, waitForCanvasToSettle } from './editor-helpers';
import { downloadBytes, withoutFileSystemAccess } from './files-helpers';

async function runDefaultPreset(page: Page): Promise<void> {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  await runAndWait(page);
}

async function nodeIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="node-"][data-type]')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-testid')!.slice(5)).sort());
}

test('PNG export carries the graph; opening or dropping the PNG restores it', async ({ page }) => {
  await withoutFileSystemAccess(page);
  await runDefaultPreset(page);
  const before = await nodeIds(page);
  expect(before).toEqual(['denoiser', 'prior', 'schedule', 'solver', 'timesteps']);

  const png = await downloadBytes(page, 'export-png');
  expect(png.name).toMatch(/-solver-step20\.png$/);
  const bytes = new Uint8Array(png.bytes);
  // IHDR: 900 × 900 RGB.
  const header = new DataView(bytes.buffer, bytes.byteOffset + 16, 8);
  expect([header.getUint32(0), header.getUint32(4)]).toEqual([900, 900]);
  const graph = JSON.parse(readPngText(bytes)['principia.graph']!) as { nodes: { id: string }[] };
  expect(graph.nodes.map((node) => node.id).sort()).toEqual(before);

  // A fresh document, then Open… the PNG: the graph comes back.
  await page.getByTestId('file-new').click();
  await expect(page.locator('[data-testid^="node-"][data-type]')).toHaveCount(0);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByTestId('file-open').click(),
  ]);
  await chooser.setFiles({ name: png.name, mimeType: 'image/png', buffer: png.bytes });
  await expect.poll(() => nodeIds(page)).toEqual(before);
  await expect(page.getByTestId('graph-title')).toContainText(
    png.name.replace(/\.png$/, '.graph.json'),
  );

  // Dropping it on the window does the same.
  await page.getByTestId('file-new').click();
  await expect(page.locator('[data-testid^="node-"][data-type]')).toHaveCount(0);
  const dataTransfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'image/png' }));
      return transfer;
    },
    { name: png.name, base64: png.bytes.toString('base64') },
  );
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect.poll(() => nodeIds(page)).toEqual(before);
});

test('a PNG without a graph is refused with a message that says so', async ({ page }) => {
  await withoutFileSystemAccess(page);
  await runDefaultPreset(page);
  // A real PNG, drawn by the browser, with no Principia text chunk.
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 4;
    return canvas.toDataURL('image/png').split(',')[1]!;
  });
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByTestId('file-open').click(),
  ]);
  await chooser.setFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from(base64, 'base64'),
  });
  await expect(page.getByText(/photo\.png is a PNG without a Principia graph in it/)).toBeVisible();
  // Nothing was lost.
  expect(await nodeIds(page)).toHaveLength(5);
});

test('the trajectory exports as .npy and the run as a GIF that Chromium decodes', async ({
  page,
}) => {
  await runDefaultPreset(page);

  const npy = parseNpy(new Uint8Array((await downloadBytes(page, 'export-npy')).bytes));
  expect(npy.shape).toEqual([21, 2000, 2]);
  // The first frame is the prior at σ̃ = 80; the last one sits on the ring of radius 2.5.
  const radius = (frame: number, point: number) =>
    Math.hypot(npy.data[(frame * 2000 + point) * 2]!, npy.data[(frame * 2000 + point) * 2 + 1]!);
  let first = 0;
  let onRing = 0;
  for (let point = 0; point < 2000; point++) {
    first += radius(0, point) ** 2;
    if (Math.abs(radius(20, point) - 2.5) < 0.8) onRing++;
  }
  expect(Math.sqrt(first / 2000 / 2)).toBeGreaterThan(70);
  expect(onRing / 2000).toBeGreaterThan(0.97);

  const gif = await downloadBytes(page, 'export-gif');
  expect(gif.name).toMatch(/-solver\.gif$/);
  const decoded = decodeGif(new Uint8Array(gif.bytes));
  expect(decoded.frames).toHaveLength(21);
  expect([decoded.width, decoded.height]).toEqual([480, 480]);
  expect(decoded.loops).toBe(true);
  // One delay for every frame, and the frames move: the prior's noise first, the ring last.
  expect(new Set(decoded.delaysCs).size).toBe(1);
  expect(decoded.frames[0]).not.toEqual(decoded.frames.at(-1));
  // The browser's own decoder accepts it.
  const decodedByBrowser = await decodeInBrowser(page, gif.bytes, 'image/gif');
  expect([decodedByBrowser.width, decodedByBrowser.height]).toEqual([480, 480]);
});

test('Run selected runs only the selected node and what it needs', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  await page.getByTestId('node-prior').click();
  await page.getByTestId('run-selected-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('node-prior')).toContainText(/\d+ ms/);
  await expect(page.getByTestId('node-preview-prior')).toHaveAttribute('data-kind', 'samples');
  // The solver and the denoiser were not needed, so they did not run.
  await expect(page.getByTestId('node-solver').locator('.run-badge:not(.idle)')).toHaveCount(0);
  await expect(page.getByTestId('node-denoiser').locator('.run-badge:not(.idle)')).toHaveCount(0);
  await expect(page.getByTestId('preview-caption')).toContainText('Run the graph');
});
