// The learned-model presets in the app: an ONNX model runs through onnxruntime-web in the engine
// worker, and the flow-map samplers take one network call per jump, beside the 20-step teacher.
import { expect, test, type Page } from '@playwright/test';
import { waitForCanvasToSettle } from './editor-helpers';

async function runPreset(page: Page, name: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  await page.getByTestId('open-gallery').click();
  await page.getByTestId(`preset-${name}`).click();
  await waitForCanvasToSettle(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 120_000,
  });
  return errors;
}

test('Bring your own ONNX model samples with the bundled model', async ({ page }, testInfo) => {
  const errors = await runPreset(page, 'bring-your-own-onnx');
  await expect(page.getByTestId('node-model').locator('.run-badge.done')).toBeVisible();
  await expect(page.getByTestId('run-status')).toContainText('39 NFE');
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
