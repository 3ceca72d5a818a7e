// Bypass (Ctrl+B): the node is skipped at run time and its input passes through, the card is
// dimmed, and the saved file keeps it bypassed when opened again.
import { expect, test, type Page } from '@playwright/test';
import { openPreset, runAndWait } from './editor-helpers';
import { downloadFrom, openThroughFileChooser, withoutFileSystemAccess } from './files-helpers';

/** The final samples as drawn: the scatter's points layer. */
function drawnPoints(page: Page): Promise<string> {
  return page
    .getByTestId('scatter-points')
    .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());
}

test('Ctrl+B bypasses a guidance node: the run changes, the card dims, the file keeps it', async ({
  page,
}, testInfo) => {
  await withoutFileSystemAccess(page);
  await openPreset(page, 'cfg-labelled-mixture');
  const guidance = page.getByTestId('node-guidance');
  await runAndWait(page);
  const guided = await drawnPoints(page);

  await guidance.locator('header').click();
  await page.keyboard.press('Control+b');
  await expect(guidance).toHaveClass(/\bbypassed\b/);
  const opacity = await guidance.evaluate((card) => Number(getComputedStyle(card).opacity));
  expect(opacity).toBeLessThan(0.6);
  await expect(guidance.locator('.node-kind')).toBeVisible();
  const label = await guidance
    .locator('.node-kind')
    .evaluate((kind) => getComputedStyle(kind, '::after').content);
  expect(label).toContain('bypassed');

  // Without guidance the solver follows the conditional denoiser alone: other samples.
  await runAndWait(page);
  const bypassed = await drawnPoints(page);
  expect(bypassed).not.toBe(guided);
  await page.screenshot({ path: testInfo.outputPath('bypassed.png') });

  // Saved (downloaded) with bypass on the node, and nowhere else.
  const saved = await downloadFrom(page, 'file-save');
  const document = JSON.parse(saved.text) as { nodes: { id: string; bypass?: boolean }[] };
  expect(document.nodes.filter((node) => node.bypass).map((node) => node.id)).toEqual(['guidance']);

  // Reopened, it is still bypassed and runs to the same samples.
  await page.getByTestId('file-new').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await openThroughFileChooser(page, 'bypassed.graph.json', saved.text);
  await expect(guidance).toHaveClass(/\bbypassed\b/);
  await runAndWait(page);
  // Opening the file cleared the dock: wait for the new run's last frame to be painted.
  await expect.poll(() => drawnPoints(page)).toBe(bypassed);

  // Ctrl+B again stops bypassing: guidance is back.
  await guidance.locator('header').click();
  await page.keyboard.press('Control+b');
  await expect(guidance).not.toHaveClass(/\bbypassed\b/);
  await runAndWait(page);
  await expect.poll(() => drawnPoints(page)).toBe(guided);
  await page.screenshot({ path: testInfo.outputPath('unbypassed.png') });
});

test('a node that cannot be bypassed says which output has nothing to pass through', async ({
  page,
}) => {
  await openPreset(page, 'cfg-labelled-mixture');
  await page.getByTestId('node-schedule').locator('header').click();
  await page.keyboard.press('Control+b');
  await expect(page.getByTestId('node-schedule')).toHaveClass(/\bbypassed\b/);
  await runAndWait(page, 'failed');
  await expect(page.getByTestId('run-status')).toContainText(
    'cannot bypass node "schedule": output "schedule" (type schedule) has no input of that type to pass through',
  );
});
