// The learned-model presets in the app: an ONNX model runs through onnxruntime-web in the engine
// worker (wasm here, WebGPU where an adapter exists), and the flow-map samplers take one network
// call per jump, beside the 20-step teacher.
import { expect, test, type Page } from '@playwright/test';
import { openPreset, runAndWait } from './editor-helpers';

async function runPreset(page: Page, name: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPreset(page, name);
  await runAndWait(page);
  return errors;
}

test('Bring your own ONNX model samples with the bundled model', async ({ page }, testInfo) => {
  const errors = await runPreset(page, 'bring-your-own-onnx');
  await expect(page.getByTestId('node-model').locator('.run-badge.done')).toBeVisible();
  await expect(page.getByTestId('run-status')).toContainText('39 NFE');
  // Headless Chromium offers no GPU adapter, so onnxruntime-web runs on wasm (the status says so).
  await expect(page.getByTestId('onnx-provider')).toHaveText('wasm');
  // The last frame: particles gathered near the two moons (spread ~1), far from σ_max = 80.
  const plot = page.getByTestId('scatter-points');
  await expect(plot).toHaveAttribute('data-step', '20');
  const spread = Number(await plot.getAttribute('data-spread'));
  expect(spread).toBeGreaterThan(0.2);
  expect(spread).toBeLessThan(3);
  await page.screenshot({ path: testInfo.outputPath('onnx-preset.png') });
  expect(errors).toEqual([]);
});

test('Consistency model: one and two jumps cost one and two network calls', async ({
  page,
}, testInfo) => {
  const errors = await runPreset(page, 'consistency-model');
  for (const id of ['flowmap', 'one_step', 'two_steps', 'teacher_20']) {
    await expect(page.getByTestId(`node-${id}`).locator('.run-badge.done')).toBeVisible();
  }
  // 1 + 2 jumps and the teacher's 39 Heun calls.
  await expect(page.getByTestId('run-status')).toContainText('42 NFE');
  await page.screenshot({ path: testInfo.outputPath('consistency-preset.png') });
  expect(errors).toEqual([]);
});

test('MeanFlow: one step', async ({ page }) => {
  const errors = await runPreset(page, 'meanflow-one-step');
  await expect(page.getByTestId('node-one_step').locator('.run-badge.done')).toBeVisible();
  await expect(page.getByTestId('run-status')).toContainText('40 NFE');
  expect(errors).toEqual([]);
});
