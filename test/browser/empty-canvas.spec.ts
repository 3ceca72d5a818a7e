// A new graph is not a blank mystery: the empty canvas says how to add nodes, and the hint goes
// away with the first node (and does not block the double-click it suggests).
import { expect, test } from '@playwright/test';

test('New shows how to start; the first node clears the hint', async ({ page }, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await expect(page.getByTestId('empty-canvas-hint')).toHaveCount(0);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  const hint = page.getByTestId('empty-canvas-hint');
  await expect(hint).toBeVisible();
  await expect(hint).toContainText('drag one from the library');
  await expect(hint).toContainText('Space');
  await expect(hint).toContainText('Presets');
  await page.screenshot({ path: testInfo.outputPath('empty-canvas.png') });

  // The double-click the hint suggests, right on the hint, opens the search.
  const box = (await hint.boundingBox())!;
  await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  const palette = page.getByTestId('quick-add');
  await expect(palette).toBeVisible();
  await palette.locator('input').fill('solver');
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await expect(hint).toHaveCount(0);
});
