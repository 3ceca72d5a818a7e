// What a run left on screen belongs to that run: opening another graph clears the dock and the
// status bar, and a solver that did not run this time says so above its older frames.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openPreset, runAndWait, waitForCanvasToSettle } from './editor-helpers';

test('opening another graph clears the last run', async ({ page }, testInfo) => {
  await openPreset(page, 'default');
  await runAndWait(page);
  await expect(page.getByTestId('run-status')).toContainText('done in');
  await expect(page.getByTestId('preview-caption')).toContainText('final samples');
  // A port's facts are showing when another graph arrives (a file dropped on the window, the
  // pointer still on the port): they go with the graph they were about.
  await page.getByTestId('port-prior-output-samples').hover();
  await expect(page.getByTestId('hover-card')).toContainText('samples');
  const other = await readFile(
    new URL('../../presets/vp-ddim.graph.json', import.meta.url),
    'utf8',
  );
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'vp-ddim.graph.json', { type: 'application/json' }));
    return transfer;
  }, other);
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await waitForCanvasToSettle(page);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('run-status')).not.toContainText('done in');
  await expect(page.getByTestId('preview-caption')).toHaveText(
    'Run the graph to see its trajectory',
  );
  await expect(page.locator('[data-testid^="node-"] .run-badge:not(.idle)')).toHaveCount(0);
  await expect(page.getByTestId('hover-card')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('after-open.png') });
});

test('a solver that could not run says so over its older frames', async ({ page }, testInfo) => {
  await openPreset(page, 'bring-your-own-onnx');
  await runAndWait(page);
  await expect(page.getByTestId('preview-caption')).toContainText('final samples');
  await expect(page.getByTestId('preview-notice')).toHaveCount(0);

  // The model file goes missing: the model node fails, the solver after it is skipped.
  await page.getByTestId('node-model').locator('header').click();
  const path = page.getByTestId('param-path').getByRole('textbox').first();
  await path.fill('weights/not-here.onnx');
  await path.press('Enter');
  await runAndWait(page, 'failed');
  const notice = page.getByTestId('preview-notice');
  await expect(notice).toContainText('solver did not run');
  await expect(notice).toContainText('earlier run');
  await expect(page.getByTestId('run-status')).not.toContainText('done in');
  await page.screenshot({ path: testInfo.outputPath('skipped-solver.png') });
});
