// A file a graph names that is not there says "file not found: PATH (resolved from FOLDER)" on its
// node and in the status bar — not the parse error of the index.html that a single-page-app server
// (vite's dev server and preview) answers unknown paths with: "not JSON: Unexpected token '<'
// <!doctype", "protobuf parsing failed".
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { openPreset, runAndWait, waitForCanvasToSettle } from './editor-helpers';
import { dropFile } from './files-helpers';

const PARSE_ERRORS = /not JSON|Unexpected token|<!doctype|protobuf|not a \.npy|HTTP \d+/i;

/** Types `path` into the node's file param in the inspector and runs the graph, which fails. */
async function pointAtAndRun(page: Page, node: string, param: string, path: string) {
  await page.getByTestId(`node-${node}`).locator('header').click();
  const input = page
    .getByTestId(`inspector-${node}`)
    .getByTestId(`param-${param}`)
    .locator('input')
    .first();
  await input.fill(path);
  await input.press('Enter');
  await runAndWait(page, 'failed');
}

async function expectNotFound(page: Page, node: string, message: string): Promise<void> {
  const badge = page.getByTestId(`node-${node}`).locator('.run-badge.failed');
  await expect(badge).toContainText(message);
  await expect(page.getByTestId('run-status')).toContainText(message);
  expect(await badge.textContent()).not.toMatch(PARSE_ERRORS);
  expect(await page.getByTestId('run-status').textContent()).not.toMatch(PARSE_ERRORS);
}

test('a missing ONNX model in a preset', async ({ page }, testInfo) => {
  await openPreset(page, 'bring-your-own-onnx');
  await pointAtAndRun(page, 'model', 'path', 'weights/none.onnx');
  await expectNotFound(page, 'model', 'file not found: weights/none.onnx (resolved from presets/)');
  await page.screenshot({ path: testInfo.outputPath('missing-onnx.png') });
});

test('a missing weights manifest in a preset says so, and how to train', async ({
  page,
}, testInfo) => {
  await openPreset(page, 'train-a-denoiser');
  await pointAtAndRun(page, 'denoiser', 'weights', 'weights/none.json');
  await expectNotFound(
    page,
    'denoiser',
    'file not found: weights/none.json (resolved from presets/). If this node has not been trained yet, train it',
  );
  await page.screenshot({ path: testInfo.outputPath('missing-weights.png') });
});

test('a missing .npy data set in a preset', async ({ page }, testInfo) => {
  await openPreset(page, 'fashion-mnist-memorises');
  await pointAtAndRun(page, 'data', 'path', 'data/none.npy');
  await expectNotFound(page, 'data', 'file not found: data/none.npy (resolved from presets/)');
  await page.screenshot({ path: testInfo.outputPath('missing-npy.png') });
});

for (const [preset, node, path] of [
  ['bring-your-own-onnx', 'model', 'weights/two-moons-denoiser.onnx'],
  ['train-a-denoiser', 'denoiser', 'weights/train-a-denoiser.json'],
] as const) {
  test(`a dropped graph's ${path}: the server answers with index.html`, async ({
    page,
  }, testInfo) => {
    // A dropped graph has no folder: its relative paths resolve beside the page, where the server
    // has no such file and answers with the app's own index.html (status 200, text/html).
    await page.goto('/?backend=wasm');
    await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
    await waitForCanvasToSettle(page);
    const text = await readFile(`presets/${preset}.graph.json`, 'utf8');
    await dropFile(page, `${preset}.graph.json`, text);
    await expect(page.getByTestId(`node-${node}`)).toBeVisible();
    await runAndWait(page, 'failed');
    await expectNotFound(
      page,
      node,
      `file not found: ${path}. This graph has no folder to read it from`,
    );
    await page.screenshot({ path: testInfo.outputPath(`dropped-${node}.png`) });
  });
}
