// New nodes land where the pointer is and never on top of other nodes: paste, duplicate and
// quick-add (Space) all place at the pointer, moved down just enough to clear what is there.
import { expect, test, type Page } from '@playwright/test';
import { centreOf, emptyCanvasPoint, waitForCanvasToSettle } from './editor-helpers';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function nodeBoxes(page: Page): Promise<Map<string, Box>> {
  const boxes = new Map<string, Box>();
  for (const node of await page.locator('.react-flow__node').all()) {
    const id = (await node.getAttribute('data-id'))!;
    boxes.set(id, (await node.boundingBox())!);
  }
  return boxes;
}

function expectNoOverlap(boxes: Map<string, Box>, id: string): void {
  const mine = boxes.get(id)!;
  for (const [other, box] of boxes) {
    if (other === id) continue;
    const apart =
      mine.x >= box.x + box.width ||
      box.x >= mine.x + mine.width ||
      mine.y >= box.y + box.height ||
      box.y >= mine.y + mine.height;
    expect(apart, `${id} overlaps ${other}`).toBe(true);
  }
}

test('paste, duplicate and quick-add place at the pointer without overlapping', async ({
  page,
}, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);

  // Copy the prior, then paste with the pointer over the solver: it goes below the solver.
  await page.getByTestId('node-prior').locator('header').click();
  await page.keyboard.press('Control+c');
  const solver = await centreOf(page.getByTestId('node-solver').locator('header'));
  await page.mouse.move(solver.x, solver.y);
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('node-prior_2')).toBeVisible();
  await waitForCanvasToSettle(page);
  let boxes = await nodeBoxes(page);
  expect(Math.abs(boxes.get('prior_2')!.x - solver.x)).toBeLessThan(3);
  expectNoOverlap(boxes, 'prior_2');

  // Duplicate with the pointer on free canvas: the copy's corner is at the pointer.
  const free = await emptyCanvasPoint(page);
  await page.getByTestId('node-denoiser').locator('header').click();
  await page.mouse.move(free.x, free.y);
  await page.keyboard.press('Control+d');
  await expect(page.getByTestId('node-denoiser_2')).toBeVisible();
  await waitForCanvasToSettle(page);
  boxes = await nodeBoxes(page);
  expectNoOverlap(boxes, 'denoiser_2');
  expect(Math.abs(boxes.get('denoiser_2')!.x - free.x)).toBeLessThan(3);

  // Space over a node: the palette's node goes at the pointer, below what is there.
  const timesteps = await centreOf(page.getByTestId('node-timesteps').locator('header'));
  await page.mouse.move(timesteps.x, timesteps.y);
  await page.keyboard.press('Space');
  const palette = page.getByTestId('quick-add');
  await palette.locator('input').fill('euler');
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(8);
  await waitForCanvasToSettle(page);
  boxes = await nodeBoxes(page);
  const added = [...boxes.keys()].find(
    (id) =>
      !['schedule', 'timesteps', 'prior', 'denoiser', 'solver', 'prior_2', 'denoiser_2'].includes(
        id,
      ),
  )!;
  expectNoOverlap(boxes, added);
  expect(Math.abs(boxes.get(added)!.x - timesteps.x)).toBeLessThan(3);
  await page.screenshot({ path: testInfo.outputPath('placement.png') });
});

test('a run does not make cards taller: preview room is kept from the start', async ({
  page,
}, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  const before = await nodeBoxes(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('node-preview-solver')).toHaveAttribute('data-kind', 'samples');
  const after = await nodeBoxes(page);
  for (const [id, box] of before) {
    expect(Math.abs(after.get(id)!.height - box.height), `${id} grew`).toBeLessThanOrEqual(1);
  }
  for (const id of after.keys()) expectNoOverlap(after, id);
  await page.screenshot({ path: testInfo.outputPath('after-run.png') });
});
