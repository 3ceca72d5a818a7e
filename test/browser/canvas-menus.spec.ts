// Right-click menus: on empty canvas (add a node by category or search, paste, fit, layout) and on
// a node (duplicate, bypass, colour, delete, help). They work from the keyboard and close on
// Escape or a press outside.
import { expect, test, type Page } from '@playwright/test';
import { centreOf, emptyCanvasPoint, readDocument, waitForCanvasToSettle } from './editor-helpers';

const menu = (page: Page) => page.getByTestId('context-menu');
const item = (page: Page, id: string) => page.getByTestId(`menu-item-${id}`);

async function nodeIds(page: Page): Promise<string[]> {
  return page
    .locator('.react-flow__node')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id')!));
}

async function openDefault(page: Page): Promise<void> {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);
}

/** Free canvas near the top-right corner, under the type legend, with room for a card. */
async function freePoint(page: Page): Promise<{ x: number; y: number }> {
  const corner = await emptyCanvasPoint(page);
  const legend = (await page.locator('.type-legend').boundingBox())!;
  const point = { x: corner.x - 260, y: Math.max(corner.y, legend.y + legend.height + 20) };
  const hit = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.className ?? '',
    point,
  );
  expect(hit, 'the point is on the empty canvas').toContain('react-flow__pane');
  return point;
}

test('right-click on empty canvas → Add node → a category → a node: it lands at the click', async ({
  page,
}, testInfo) => {
  await openDefault(page);
  const before = await nodeIds(page);
  const point = await freePoint(page);

  await page.mouse.click(point.x, point.y, { button: 'right' });
  await expect(menu(page)).toBeVisible();
  await expect(item(page, 'paste')).toHaveAttribute('aria-disabled', 'true');
  await item(page, 'add-node').hover();
  await expect(page.getByTestId('context-submenu-add-node')).toBeVisible();
  await item(page, 'add-kind-timesteps').hover();
  await expect(page.getByTestId('context-submenu-add-kind-timesteps')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('canvas-menu.png') });
  await item(page, 'add-karras-timesteps').click();
  await expect(menu(page)).toBeHidden();

  await expect(page.locator('.react-flow__node')).toHaveCount(before.length + 1);
  const added = (await nodeIds(page)).find((id) => !before.includes(id))!;
  const card = page.getByTestId(`node-${added}`);
  await expect(card).toHaveAttribute('data-type', 'karras-timesteps');
  const box = (await card.boundingBox())!;
  expect(Math.abs(box.x - point.x)).toBeLessThan(3);
  expect(Math.abs(box.y - point.y)).toBeLessThan(3);
});

test('the canvas menu works from the keyboard and closes on Escape and outside presses', async ({
  page,
}) => {
  await openDefault(page);
  const before = await nodeIds(page);
  const point = await freePoint(page);

  // Escape closes, and is not taken as an editor shortcut meanwhile.
  await page.mouse.click(point.x, point.y, { button: 'right' });
  await expect(item(page, 'add-node')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu(page)).toBeHidden();

  // A press outside closes it.
  await page.mouse.click(point.x, point.y, { button: 'right' });
  await expect(menu(page)).toBeVisible();
  await page.mouse.click(point.x - 120, point.y + 160);
  await expect(menu(page)).toBeHidden();

  // Search… opens the quick-add palette, whose node goes at the click point.
  await page.mouse.click(point.x, point.y, { button: 'right' });
  await item(page, 'add-node').click();
  await item(page, 'add-search').click();
  await expect(menu(page)).toBeHidden();
  await page.getByTestId('quick-add').locator('input').fill('euler');
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(before.length + 1);
  let added = (await nodeIds(page)).find((id) => !before.includes(id))!;
  let box = (await page.getByTestId(`node-${added}`).boundingBox())!;
  expect(Math.abs(box.x - point.x)).toBeLessThan(3);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(before.length);

  // Arrows move, → opens a submenu, ← goes back, Enter picks. Letters typed meanwhile (L would
  // lay the graph out) do nothing.
  await page.mouse.click(point.x, point.y, { button: 'right' });
  await page.keyboard.press('ArrowDown');
  await expect(item(page, 'add-note')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(item(page, 'add-node')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'add-search')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('context-submenu-add-node')).toBeHidden();
  await expect(item(page, 'add-node')).toBeFocused();
  await page.keyboard.press('l');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(item(page, 'add-kind-prior')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'add-gaussian-prior')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu(page)).toBeHidden();
  await expect(page.locator('.react-flow__node')).toHaveCount(before.length + 1);
  added = (await nodeIds(page)).find((id) => !before.includes(id))!;
  await expect(page.getByTestId(`node-${added}`)).toHaveAttribute('data-type', 'gaussian-prior');
  box = (await page.getByTestId(`node-${added}`).boundingBox())!;
  expect(Math.abs(box.x - point.x)).toBeLessThan(3);
  expect(Math.abs(box.y - point.y)).toBeLessThan(3);
});

test('right-click on a node: duplicate, bypass, colour, help and delete', async ({
  page,
}, testInfo) => {
  await openDefault(page);
  const solver = page.getByTestId('node-solver');
  const header = async () => centreOf(solver.locator('header'));

  // Duplicate: a copy beside it, selected.
  let at = await header();
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await expect(item(page, 'bypass')).toHaveAttribute('aria-checked', 'false');
  await page.screenshot({ path: testInfo.outputPath('node-menu.png') });
  await item(page, 'duplicate').click();
  await expect(page.getByTestId('node-solver_2')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(6);

  // Colour: the header takes the tint, saved as the node's color.
  at = await header();
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await item(page, 'colour').hover();
  await item(page, 'colour-blue').click();
  await expect(solver).toHaveClass(/\btinted\b/);
  const tint = await solver
    .locator('header')
    .evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(tint).not.toBe('rgba(0, 0, 0, 0)');
  await solver.screenshot({ path: testInfo.outputPath('tinted-card.png') });

  // Bypass: dimmed, and the menu shows it checked; the document says so.
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await item(page, 'bypass').click();
  await expect(solver).toHaveClass(/\bbypassed\b/);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await expect(item(page, 'bypass')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Escape');
  await expect(menu(page)).toBeHidden();
  await solver.screenshot({ path: testInfo.outputPath('bypassed-card.png') });

  await page.screenshot({ path: testInfo.outputPath('bypassed-and-tinted.png') });
  const document = JSON.parse(await readDocument(page)) as {
    nodes: { id: string; bypass?: boolean; color?: string }[];
  };
  expect(document.nodes.find((node) => node.id === 'solver')).toMatchObject({
    bypass: true,
    color: '#3a5fa5',
  });

  // Help: the inspector shows the node's description.
  at = await header();
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await item(page, 'help').click();
  await expect(page.getByTestId('inspector-solver').locator('.description')).toBeVisible();

  // Delete: gone, with its wires.
  await expect(page.locator('.react-flow__edge[data-id*="solver."]')).toHaveCount(3);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await item(page, 'delete').click();
  await expect(solver).toBeHidden();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge[data-id*="solver."]')).toHaveCount(0);

  // Undo brings it back, one step per menu action.
  await page.keyboard.press('Control+z');
  await expect(solver).toBeVisible();
});
