// ONNX models in the app: the "Bring your own ONNX model" preset runs its bundled model through
// onnxruntime-web (wasm here: headless Chromium has no GPU adapter) and samples near the data.
import { expect, test } from '@playwright/test';
import { waitForCanvasToSettle } from './editor-helpers';

test('the bundled ONNX model samples in the app', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('onnx-provider')).toHaveText('wasm');
  await waitForCanvasToSettle(page);
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('preset-bring-your-own-onnx').click();
  await waitForCanvasToSettle(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 120_000,
  });
  // The dock's last frame: particles gathered near the two moons (spread ~1), far from σ_max.
  const plot = page.getByTestId('scatter-points');
  await expect(plot).toHaveAttribute('data-step', '20');
  const spread = Number(await plot.getAttribute('data-spread'));
  expect(spread).toBeGreaterThan(0.2);
  expect(spread).toBeLessThan(3);
  expect(errors).toEqual([]);
});
