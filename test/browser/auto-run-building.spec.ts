// Building a graph with auto-run on is not a string of failures: a node whose required inputs are
// not connected yet says so in grey, the status bar waits, and the graph runs once it is wired.
import { expect, test } from '@playwright/test';
import { dragFromLibrary, emptyCanvasPoint, waitForCanvasToSettle, wire } from './editor-helpers';

test('auto-run waits for unconnected inputs, in grey, then runs', async ({ page }, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByTestId('auto-run').check();

  await dragFromLibrary(page, 'toy-data-2d', { x: 30, y: 60 });
  await dragFromLibrary(page, 'entropic-ot', { x: 330, y: 380 });
  // Laid out left to right, so that no card hides a port the wires below need.
  const pane = await emptyCanvasPoint(page);
  await page.mouse.click(pane.x, pane.y);
  await page.keyboard.press('l');
  await waitForCanvasToSettle(page);
  const waiting = page.getByTestId('unconnected-transport');
  await expect(waiting).toContainText('not connected yet: source, target');
  const colour = await waiting.evaluate((badge) => getComputedStyle(badge).color);
  const error = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--error').trim(),
  );
  expect(colour).not.toBe(error);
  await expect(page.getByTestId('run-status')).toContainText('not connected yet');
  await expect(page.getByTestId('run-status')).not.toHaveAttribute('data-phase', 'failed');
  await expect(page.locator('.run-badge.failed')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('waiting.png') });

  // One input wired: still waiting for the other; both wired: it runs.
  await wire(page, ['data', 'dataset'], ['transport', 'source']);
  await expect(waiting).toContainText('not connected yet: target');
  await wire(page, ['data', 'dataset'], ['transport', 'target']);
  await expect(waiting).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 60_000,
  });
});
