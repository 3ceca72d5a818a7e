// The side panels resize and fold by their grips, the library folds so the inspector gets the
// whole column, and the layout a user chose is there again after a reload (issue 14, items 4, 6).
import { expect, test, type Page } from '@playwright/test';
import { dragMouse, waitForCanvasToSettle } from './editor-helpers';

async function widthOf(page: Page, testId: string): Promise<number> {
  return (await page.getByTestId(testId).boundingBox())?.width ?? 0;
}

async function heightOf(page: Page, testId: string): Promise<number> {
  return (await page.getByTestId(testId).boundingBox())?.height ?? 0;
}

test('grips resize and fold the side panels; the choice survives a reload', async ({
  page,
}, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);
  const side0 = await widthOf(page, 'side-column');
  const dock0 = await widthOf(page, 'dock-slot');
  const canvas0 = await widthOf(page, 'canvas');
  // The canvas, not the panels, gets most of a 1440-px window.
  expect(canvas0).toBeGreaterThan(650);

  // Drag the side column's grip 40 px left and the dock's 120 px right: both panels narrow by
  // what the hand moved, and the canvas gains it all.
  const sideGrip = page.getByTestId('panel-handle-side');
  const sideGripBox = (await sideGrip.boundingBox())!;
  const sideFrom = { x: sideGripBox.x + sideGripBox.width / 2, y: sideGripBox.y + 60 };
  await dragMouse(page, sideFrom, { x: sideFrom.x - 40, y: sideFrom.y });
  const dockGrip = page.getByTestId('panel-handle-dock');
  const dockGripBox = (await dockGrip.boundingBox())!;
  const dockFrom = { x: dockGripBox.x + dockGripBox.width / 2, y: dockGripBox.y + 60 };
  await dragMouse(page, dockFrom, { x: dockFrom.x + 120, y: dockFrom.y });
  const side1 = await widthOf(page, 'side-column');
  const dock1 = await widthOf(page, 'dock-slot');
  expect(Math.abs(side0 - 40 - side1)).toBeLessThanOrEqual(4);
  expect(Math.abs(dock0 - 120 - dock1)).toBeLessThanOrEqual(4);
  expect(await widthOf(page, 'canvas')).toBeGreaterThan(canvas0 + 150);

  // Fold the library: the inspector takes (nearly) the column's whole height.
  const column = await heightOf(page, 'side-column');
  const inspectorBefore = await heightOf(page, 'inspector');
  expect(inspectorBefore).toBeLessThan(column * 0.7);
  await page.getByTestId('library-fold').click();
  await expect(page.getByTestId('library-solver')).toBeHidden();
  const inspectorAfter = await heightOf(page, 'inspector');
  expect(inspectorAfter).toBeGreaterThan(column * 0.9);

  // Fold the dock by its tab: the canvas reaches the window's right edge.
  await page.getByTestId('panel-toggle-dock').click();
  await expect(page.getByTestId('tab-preview')).toBeHidden();
  const canvasFolded = (await page.getByTestId('canvas').boundingBox())!;
  expect(canvasFolded.x + canvasFolded.width).toBeGreaterThan(1440 - 12);
  await page.screenshot({ path: testInfo.outputPath('panels-folded.png') });

  // A reload brings back exactly this layout.
  await page.reload();
  await expect(page.getByTestId('node-solver')).toBeVisible();
  expect(Math.abs((await widthOf(page, 'side-column')) - side1)).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('tab-preview')).toBeHidden();
  await expect(page.getByTestId('library-solver')).toBeHidden();
  expect(await heightOf(page, 'inspector')).toBeGreaterThan(column * 0.9);

  // Unfold both again: the dock comes back at the width it had, the library below its search.
  await page.getByTestId('panel-toggle-dock').click();
  await expect(page.getByTestId('tab-preview')).toBeVisible();
  expect(Math.abs((await widthOf(page, 'dock-slot')) - dock1)).toBeLessThanOrEqual(1);
  await page.getByTestId('library-fold').click();
  await expect(page.getByTestId('library-solver')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('panels-resized.png') });
});

test('typing a search unfolds a folded library; a grip is keyboard-operable', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await page.getByTestId('library-fold').click();
  await expect(page.getByTestId('library-solver')).toBeHidden();
  await page.getByLabel('Search nodes').fill('solver');
  await expect(page.getByTestId('library-solver')).toBeVisible();

  const grip = page.getByTestId('panel-handle-side');
  const before = Number(await grip.getAttribute('aria-valuenow'));
  await grip.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(grip).toHaveAttribute('aria-valuenow', String(before + 32));
  await page.keyboard.press('Enter');
  await expect(grip).toHaveAttribute('aria-valuenow', '0');
  expect(await widthOf(page, 'side-column')).toBeLessThan(2);
  await expect(page.getByTestId('library-solver')).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('library-solver')).toBeVisible();
});
