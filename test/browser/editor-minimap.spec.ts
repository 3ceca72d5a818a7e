// The minimap stays out of the way: hidden by default on a narrow canvas (where it covered nodes
// and swallowed presses meant for wires), shown on a wide one, small and translucent, and M
// toggles it (but not while typing).
import { expect, test } from '@playwright/test';
import { dragFromLibrary, emptyCanvasPoint, waitForCanvasToSettle } from './editor-helpers';

test('narrow canvas: no minimap until M; M again hides it; typing M does not', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  expect(canvas.width).toBeLessThan(900);
  const minimap = page.locator('.react-flow__minimap');
  await expect(minimap).toHaveCount(0);

  const pane = await emptyCanvasPoint(page);
  await page.mouse.click(pane.x, pane.y);
  await page.keyboard.press('m');
  await expect(minimap).toHaveCount(1);
  const box = (await minimap.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(160);
  expect(box.height).toBeLessThanOrEqual(110);
  const opacity = await minimap.evaluate((element) => Number(getComputedStyle(element).opacity));
  expect(opacity).toBeLessThan(0.8);
  await page.screenshot({ path: testInfo.outputPath('minimap-on.png') });

  await dragFromLibrary(page, 'note', { x: 40, y: 520 });
  const note = page.getByTestId('note-note').locator('textarea');
  await note.click();
  await page.keyboard.type('mmm');
  await expect(note).toHaveValue('mmm');
  await expect(minimap).toHaveCount(1);

  await page.mouse.click(pane.x, pane.y);
  await page.keyboard.press('m');
  await expect(minimap).toHaveCount(0);
});

test('wide canvas: the minimap shows by default', async ({ page }) => {
  await page.setViewportSize({ width: 2200, height: 1000 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  expect(canvas.width).toBeGreaterThanOrEqual(900);
  await expect(page.locator('.react-flow__minimap')).toHaveCount(1);
});
