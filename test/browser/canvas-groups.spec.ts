// Groups: select nodes, group them from the node menu (or Ctrl+G), drag the frame by its title and
// its nodes come along; rename, undo, save and reopen; drag a node out and it leaves the group;
// Ungroup removes the frame and keeps the nodes.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dragMouse, emptyCanvasPoint, readDocument, waitForCanvasToSettle } from './editor-helpers';
import {
  downloadFrom,
  dragNode,
  openThroughFileChooser,
  waitForCanvas,
  withoutFileSystemAccess,
} from './files-helpers';

interface SavedGroup {
  id: string;
  title: string;
  position: { x: number; y: number };
  size: { width: number; height: number };
  nodes: string[];
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

async function topLeft(page: Page, nodeId: string) {
  const { x, y } = await box(page.getByTestId(`node-${nodeId}`));
  return { x, y };
}

function groupsOf(text: string): SavedGroup[] {
  return (JSON.parse(text) as { groups: SavedGroup[] }).groups;
}

/**
 * Whether the card lies wholly inside the frame, as drawn. Both are measured in one task in the
 * page, so a viewport still animating (a fit after a layout) cannot move one between the readings.
 */
async function inside(page: Page, nodeId: string, frame: Locator): Promise<boolean> {
  const frameElement = await frame.elementHandle();
  if (!frameElement) throw new Error('frame not on screen');
  return page.evaluate(
    ([id, outerElement]) => {
      const cardElement = document.querySelector(`[data-testid="node-${id}"]`);
      if (!cardElement) throw new Error(`node-${id} not on screen`);
      const card = cardElement.getBoundingClientRect();
      const outer = outerElement.getBoundingClientRect();
      return (
        card.left >= outer.left &&
        card.top >= outer.top &&
        card.right <= outer.right &&
        card.bottom <= outer.bottom
      );
    },
    [nodeId, frameElement] as const,
  );
}

test('group two nodes, drag the frame by its title, rename, undo, save and reopen', async ({
  page,
}) => {
  await withoutFileSystemAccess(page);
  await page.goto('/');
  await waitForCanvas(page);

  // Select two nodes as a person does: click one, Ctrl+click the other.
  await page.getByTestId('node-schedule').locator('header').click();
  await page
    .getByTestId('node-timesteps')
    .locator('header')
    .click({ modifiers: ['Control'] });
  await page.getByTestId('node-timesteps').locator('header').click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await page.getByTestId('menu-item-group').click();

  const frame = page.getByTestId('group-group');
  const title = page.getByTestId('group-title-group');
  await expect(frame).toBeVisible();
  await expect(title).toHaveText('Group');
  expect(await inside(page, 'schedule', frame)).toBe(true);
  expect(await inside(page, 'timesteps', frame)).toBe(true);
  expect(await inside(page, 'prior', frame)).toBe(false);
  await page.screenshot({ path: '/tmp/canvas-groups-made.png' });

  // Drag the frame by its title bar: both members move by the frame's delta, the others stay.
  const before = {
    schedule: await topLeft(page, 'schedule'),
    timesteps: await topLeft(page, 'timesteps'),
    prior: await topLeft(page, 'prior'),
    frame: await box(frame),
  };
  const grip = await box(title);
  await dragMouse(
    page,
    { x: grip.x + 40, y: grip.y + grip.height / 2 },
    { x: grip.x + 40 + 90, y: grip.y + grip.height / 2 + 140 },
  );
  const after = {
    schedule: await topLeft(page, 'schedule'),
    timesteps: await topLeft(page, 'timesteps'),
    prior: await topLeft(page, 'prior'),
    frame: await box(frame),
  };
  const frameDelta = { x: after.frame.x - before.frame.x, y: after.frame.y - before.frame.y };
  expect(frameDelta.y).toBeGreaterThan(100);
  for (const id of ['schedule', 'timesteps'] as const) {
    expect(after[id].x - before[id].x).toBeCloseTo(frameDelta.x, 0);
    expect(after[id].y - before[id].y).toBeCloseTo(frameDelta.y, 0);
  }
  expect(after.prior).toEqual(before.prior);
  await page.screenshot({ path: '/tmp/canvas-groups-dragged.png' });

  // The move is one undo step, nodes and frame together.
  await page.keyboard.press('Control+z');
  await expect.poll(() => topLeft(page, 'schedule')).toEqual(before.schedule);
  expect(await topLeft(page, 'timesteps')).toEqual(before.timesteps);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => topLeft(page, 'schedule')).toEqual(after.schedule);

  // Double-click the title to rename it.
  await title.dblclick();
  const field = page.getByRole('textbox', { name: 'group title' });
  await expect(field).toBeFocused();
  await field.fill('Noise levels');
  await page.keyboard.press('Enter');
  await expect(title).toHaveText('Noise levels');
  // Escape leaves the title as it was.
  await title.dblclick();
  await field.fill('not this');
  await page.keyboard.press('Escape');
  await expect(title).toHaveText('Noise levels');

  // Saved in the document; reopened, the group, its title and its members are back.
  const saved = await downloadFrom(page, 'file-save');
  expect(JSON.parse(saved.text)).toMatchObject({ version: 2 });
  const [group] = groupsOf(saved.text);
  expect(groupsOf(saved.text)).toHaveLength(1);
  expect(group).toMatchObject({ id: 'group', title: 'Noise levels' });
  expect([...group!.nodes].sort()).toEqual(['schedule', 'timesteps']);

  await page.getByTestId('file-new').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await openThroughFileChooser(page, 'grouped.graph.json', saved.text);
  await expect(title).toHaveText('Noise levels');
  await waitForCanvasToSettle(page);
  expect(await inside(page, 'schedule', frame)).toBe(true);
  expect(await inside(page, 'timesteps', frame)).toBe(true);
  await page.screenshot({ path: '/tmp/canvas-groups-reopened.png' });

  // Membership survived: dragging the reopened frame still carries both nodes.
  const reopened = {
    schedule: await topLeft(page, 'schedule'),
    timesteps: await topLeft(page, 'timesteps'),
    prior: await topLeft(page, 'prior'),
  };
  const again = await box(title);
  await dragMouse(
    page,
    { x: again.x + 30, y: again.y + again.height / 2 },
    { x: again.x + 30 + 60, y: again.y + again.height / 2 + 50 },
  );
  const moved = await topLeft(page, 'schedule');
  const delta = { x: moved.x - reopened.schedule.x, y: moved.y - reopened.schedule.y };
  expect(delta.y).toBeGreaterThan(30);
  const timesteps = await topLeft(page, 'timesteps');
  expect(timesteps.x - reopened.timesteps.x).toBeCloseTo(delta.x, 0);
  expect(timesteps.y - reopened.timesteps.y).toBeCloseTo(delta.y, 0);
  expect(await topLeft(page, 'prior')).toEqual(reopened.prior);
});

test('Ctrl+G groups the selection; a node dragged out leaves; Ungroup keeps the nodes', async ({
  page,
}) => {
  await page.goto('/');
  await waitForCanvas(page);
  await page.getByTestId('node-denoiser').locator('header').click();
  await page
    .getByTestId('node-solver')
    .locator('header')
    .click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+g');
  const frame = page.getByTestId('group-group');
  await expect(frame).toBeVisible();
  expect(await inside(page, 'denoiser', frame)).toBe(true);
  expect(await inside(page, 'solver', frame)).toBe(true);

  // Drag the solver alone (nothing selected) well out of the frame: it is no longer in the group.
  const empty = await emptyCanvasPoint(page);
  await page.mouse.click(empty.x, empty.y);
  const frameBox = await box(frame);
  await dragNode(page, 'solver', 0, frameBox.height + 120);
  expect(await inside(page, 'solver', frame)).toBe(false);
  await expect.poll(async () => groupsOf(await readDocument(page))[0]?.nodes).toEqual(['denoiser']);
  await page.screenshot({ path: '/tmp/canvas-groups-dragged-out.png' });

  // Dragging the frame now leaves the solver where it is. (The title's left end is under the
  // prior's card, which sits just above the denoiser: take it by its right end.)
  const solverBefore = await topLeft(page, 'solver');
  const denoiserBefore = await topLeft(page, 'denoiser');
  const title = await box(page.getByTestId('group-title-group'));
  await dragMouse(
    page,
    { x: title.x + title.width - 40, y: title.y + title.height / 2 },
    { x: title.x + title.width - 40 - 70, y: title.y + title.height / 2 - 40 },
  );
  expect(await topLeft(page, 'solver')).toEqual(solverBefore);
  expect((await topLeft(page, 'denoiser')).x).toBeLessThan(denoiserBefore.x - 40);

  // Dropped back inside the frame, it joins again.
  const inner = await box(frame);
  const solverBox = await box(page.getByTestId('node-solver'));
  await dragNode(
    page,
    'solver',
    inner.x + inner.width - 20 - (solverBox.x + solverBox.width),
    inner.y + 60 - solverBox.y,
  );
  await expect
    .poll(async () => [...(groupsOf(await readDocument(page))[0]?.nodes ?? [])].sort())
    .toEqual(['denoiser', 'solver']);

  // Ungroup from the frame's menu: the frame goes, the nodes stay where they are.
  const nodesBefore = await page.locator('.react-flow__node').count();
  const solverAt = await topLeft(page, 'solver');
  const bar = await box(page.getByTestId('group-title-group'));
  await page.mouse.click(bar.x + bar.width - 40, bar.y + bar.height / 2, { button: 'right' });
  await expect(page.getByTestId('context-menu')).toHaveAttribute('aria-label', 'Group');
  await page.getByTestId('menu-item-ungroup').click();
  await expect(frame).toHaveCount(0);
  await expect(page.locator('.react-flow__node')).toHaveCount(nodesBefore - 1);
  expect(await topLeft(page, 'solver')).toEqual(solverAt);
  expect(groupsOf(await readDocument(page))).toEqual([]);
  // Undo brings the frame back with its members.
  await page.keyboard.press('Control+z');
  await expect(frame).toBeVisible();
  await page.screenshot({ path: '/tmp/canvas-groups-undo-ungroup.png' });

  // Auto-layout moves the nodes; the frame is redrawn around them.
  await page.mouse.click(empty.x, empty.y);
  await page.keyboard.press('l');
  await waitForCanvasToSettle(page);
  // The layout runs off the main task and then fits the view: wait for both cards to be framed.
  await expect
    .poll(
      async () => (await inside(page, 'denoiser', frame)) && (await inside(page, 'solver', frame)),
    )
    .toBe(true);
  await page.screenshot({ path: '/tmp/canvas-groups-after-layout.png' });
});
