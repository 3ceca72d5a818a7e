// Typed wires: a wire that cannot work is refused with the reason; a wire dropped on empty canvas
// opens the palette with only the nodes that can take it, and connects the one chosen.
import { expect, test } from '@playwright/test';
import {
  centreOf,
  dragMouse,
  emptyCanvasPoint,
  port,
  wire,
  waitForCanvasToSettle,
} from './editor-helpers';

test.beforeEach(async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);
});

test('an invalid wire is refused with its message; a cycle too', async ({ page }) => {
  const edges = page.locator('.react-flow__edge');
  await expect(edges).toHaveCount(5);
  await wire(page, ['timesteps', 'timesteps'], ['solver', 'denoiser']);
  await expect(page.getByTestId('notice')).toContainText(
    'cannot connect timesteps.timesteps (timesteps) to solver.denoiser, which takes denoiser',
  );
  await expect(edges).toHaveCount(5);
  // The notice sits over the canvas, clear of the dock and its controls.
  const notice = (await page.getByTestId('notice').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const dock = (await page.locator('.analysis-dock').boundingBox())!;
  expect(notice.x).toBeGreaterThanOrEqual(canvas.x);
  expect(notice.x + notice.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  expect(notice.x + notice.width).toBeLessThanOrEqual(dock.x);

  await wire(page, ['solver', 'samples'], ['solver', 'noise']);
  await expect(page.getByTestId('notice')).toContainText('a node cannot feed its own input');
  await expect(edges).toHaveCount(5);

  // The legend names every value type colour.
  await expect(page.getByTestId('type-legend')).toContainText('samples');
  await expect(page.getByTestId('type-legend')).toContainText('denoiser');
});

test('a wire dropped on empty canvas offers only the nodes that take it', async ({ page }) => {
  const from = await centreOf(port(page, 'prior', 'output', 'samples'));
  const empty = await emptyCanvasPoint(page);
  await dragMouse(page, from, { x: empty.x - 60, y: empty.y + 40 });
  const palette = page.getByTestId('quick-add');
  await expect(palette).toBeVisible();
  await expect(palette.getByTestId('quick-add-solver')).toBeVisible();
  await expect(palette.getByTestId('quick-add-edm-schedule')).toHaveCount(0);
  await expect(palette.getByTestId('quick-add-karras-timesteps')).toHaveCount(0);
  await palette.locator('input').fill('solv');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-solver_2')).toBeVisible();
  await expect(
    page.locator('.react-flow__edge[data-id="prior.samples->solver_2.noise"]'),
  ).toHaveCount(1);

  // Space opens the whole palette; Escape closes it.
  await page.mouse.click(empty.x, empty.y);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('quick-add-edm-schedule')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('quick-add')).toHaveCount(0);

  // The help overlay lists the shortcuts.
  await page.keyboard.press('?');
  await expect(page.getByTestId('help')).toContainText('Ctrl+Shift+Z');
  await expect(page.getByTestId('help')).toContainText('Ctrl+Enter');
});
