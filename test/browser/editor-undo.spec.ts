// Ten different edits made with mouse and keyboard, then ten undos give back the exact starting
// document and ten redos the edited one: every edit (a node drag, a slider drag, typing in a
// note) is exactly one undo step.
import { expect, test } from '@playwright/test';
import {
  centreOf,
  dragFromLibrary,
  dragMouse,
  emptyCanvasPoint,
  readDocument,
  wire,
  waitForCanvasToSettle,
} from './editor-helpers';

test('ten edits, ten undos, ten redos', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);
  const start = await readDocument(page);
  const nodes = page.locator('.react-flow__node');

  // 1. A node from the library.
  await dragFromLibrary(page, 'edm-schedule', { x: 40, y: 130 });
  await expect(page.getByTestId('node-schedule_2')).toBeVisible();
  // 2. A node dragged by its header.
  const prior = await centreOf(page.getByTestId('node-prior').locator('header'));
  await dragMouse(page, prior, { x: prior.x + 60, y: prior.y - 50 });
  // 3. A number typed into the inspector.
  await page.getByTestId('node-timesteps').locator('header').click();
  const steps = page.getByTestId('param-steps');
  await steps.getByLabel('Steps', { exact: true }).fill('30');
  await steps.getByLabel('Steps', { exact: true }).press('Enter');
  await expect(page.getByTestId('node-timesteps')).toContainText('30');
  // 4. A slider drag: many values, one step.
  const slider = steps.getByLabel('Steps slider');
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  await dragMouse(
    page,
    { x: box.x + 4, y: box.y + box.height / 2 },
    { x: box.x + box.width * 0.3, y: box.y + box.height / 2 },
    { steps: 20 },
  );
  await expect(page.getByTestId('node-timesteps')).not.toContainText(/steps\s*30/);
  // 5. A select.
  await page.getByTestId('node-solver').locator('header').click();
  await page.getByTestId('param-algorithm').locator('select').selectOption('euler');
  // 6. A wire that replaces the one feeding an input.
  await wire(page, ['schedule_2', 'schedule'], ['timesteps', 'schedule']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  // 7. A note from the library; 8. text typed into it.
  await dragFromLibrary(page, 'note', { x: 40, y: 520 });
  await page.getByTestId('note-note').locator('textarea').click();
  await page.keyboard.type('Try fewer steps here');
  // 9. Duplicate a node; 10. delete the copy.
  await page.getByTestId('node-denoiser').locator('header').click();
  await page.keyboard.press('Control+d');
  await expect(page.getByTestId('node-denoiser_2')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-denoiser_2')).toHaveCount(0);
  await expect(nodes).toHaveCount(7);

  const edited = await readDocument(page);
  expect(edited).not.toBe(start);
  expect(JSON.parse(edited).notes).toEqual([
    expect.objectContaining({ id: 'note', text: 'Try fewer steps here' }),
  ]);

  const screenshot = testInfo.outputPath('editor-after-ten-edits.png');
  await page.screenshot({ path: screenshot });
  await testInfo.attach('after ten edits', { path: screenshot, contentType: 'image/png' });

  const pane = await emptyCanvasPoint(page);
  await page.mouse.click(pane.x, pane.y);
  for (let i = 0; i < 10; i++) await page.keyboard.press('Control+z');
  expect(await readDocument(page)).toBe(start);
  // Nothing more to undo: an eleventh changes nothing.
  await page.keyboard.press('Control+z');
  expect(await readDocument(page)).toBe(start);

  for (let i = 0; i < 10; i++) await page.keyboard.press(i % 2 ? 'Control+y' : 'Control+Shift+z');
  expect(await readDocument(page)).toBe(edited);
  await expect(nodes).toHaveCount(7);
  expect(errors).toEqual([]);
});
