// A long error keeps the status bar one line high and inside the window; its whole text opens in
// a panel above the bar.
import { expect, test } from '@playwright/test';
import { openPreset, runAndWait } from './editor-helpers';

test('a long run error: one line in the status bar, the whole text in a panel', async ({
  page,
}, testInfo) => {
  await openPreset(page, 'bring-your-own-onnx');
  const bar = page.locator('.status-bar');
  const before = (await bar.boundingBox())!;

  const longName = `weights/${'a-very-long-folder-name/'.repeat(12)}model-that-is-not-there.onnx`;
  await page.getByTestId('node-model').locator('header').click();
  const path = page.getByTestId('param-path').getByRole('textbox').first();
  await path.fill(longName);
  await path.press('Enter');
  await runAndWait(page, 'failed');

  const after = (await bar.boundingBox())!;
  expect(after.height).toBeLessThanOrEqual(before.height + 1);
  const viewport = page.viewportSize()!;
  const status = (await page.getByTestId('run-status').boundingBox())!;
  expect(status.x + status.width).toBeLessThanOrEqual(viewport.width);

  await page.getByTestId('run-error-details').click();
  const panel = page.getByTestId('run-error-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('model-that-is-not-there.onnx');
  await expect(panel).toContainText('file not found');
  const box = (await panel.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  await page.screenshot({ path: testInfo.outputPath('status-error.png') });
  await page.getByTestId('run-error-details').click();
  await expect(panel).toHaveCount(0);
});
