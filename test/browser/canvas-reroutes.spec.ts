// Bend points on wires: double-click a wire to add one where you clicked, drag it and the wire
// follows, double-click it to remove it; undoable, saved as the edge's `via`, back on reopening.
import { expect, test, type Page } from '@playwright/test';
import { centreOf, dragMouse } from './editor-helpers';
import {
  downloadFrom,
  openThroughFileChooser,
  waitForCanvas,
  withoutFileSystemAccess,
} from './files-helpers';
import { waitForCanvasToSettle } from './editor-helpers';

const WIRE = 'timesteps.timesteps->solver.timesteps';

/** A point of the wire's drawn path, `fraction` of the way along, in screen pixels. */
async function pointOnWire(page: Page, fraction: number) {
  return page.getByTestId(`rf__edge-${WIRE}`).evaluate((edge, fraction) => {
    const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path')!;
    const point = path.getPointAtLength(path.getTotalLength() * fraction);
    const matrix = path.getScreenCTM()!;
    return { x: point.x * matrix.a + matrix.e, y: point.y * matrix.d + matrix.f };
  }, fraction);
}

/** How far the wire's drawn path passes from a screen point. */
async function wireDistanceTo(page: Page, target: { x: number; y: number }): Promise<number> {
  return page.getByTestId(`rf__edge-${WIRE}`).evaluate((edge, target) => {
    const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path')!;
    const matrix = path.getScreenCTM()!;
    const length = path.getTotalLength();
    let nearest = Infinity;
    for (let step = 0; step <= 400; step++) {
      const point = path.getPointAtLength((length * step) / 400);
      const x = point.x * matrix.a + matrix.e;
      const y = point.y * matrix.d + matrix.f;
      nearest = Math.min(nearest, Math.hypot(x - target.x, y - target.y));
    }
    return nearest;
  }, target);
}

function viaOf(text: string): { x: number; y: number }[] | undefined {
  const document = JSON.parse(text) as {
    edges: { from: { node: string }; to: { node: string; port: string }; via?: [] }[];
  };
  return document.edges.find(
    (edge) =>
      edge.from.node === 'timesteps' && edge.to.node === 'solver' && edge.to.port === 'timesteps',
  )?.via;
}

test('bend a wire: add a point, drag it, remove it; undo; saved and reopened', async ({ page }) => {
  await withoutFileSystemAccess(page);
  await page.goto('/');
  await waitForCanvas(page);
  await waitForCanvasToSettle(page);

  // Double-click the middle of the wire: a bend appears there.
  const middle = await pointOnWire(page, 0.5);
  await page.mouse.dblclick(middle.x, middle.y);
  const bend = page.getByTestId(`bend-${WIRE}-0`);
  await expect(bend).toBeVisible();
  const placed = await centreOf(bend);
  expect(Math.hypot(placed.x - middle.x, placed.y - middle.y)).toBeLessThan(3);

  // Drag it well below: the wire now runs through it.
  const target = { x: placed.x + 30, y: placed.y + 160 };
  await dragMouse(page, placed, target);
  const moved = await centreOf(bend);
  expect(Math.hypot(moved.x - target.x, moved.y - target.y)).toBeLessThan(3);
  expect(await wireDistanceTo(page, moved)).toBeLessThan(2);
  await page.screenshot({ path: '/tmp/canvas-reroute-dragged.png' });

  // A second bend, on the leg from the first bend to the solver, goes after it.
  const later = await pointOnWire(page, 0.56);
  await page.mouse.dblclick(later.x, later.y);
  await expect(page.getByTestId(`bend-${WIRE}-1`)).toBeVisible();
  expect(await centreOf(page.getByTestId(`bend-${WIRE}-0`))).toEqual(moved);

  // Undo takes the second bend away, then the drag.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId(`bend-${WIRE}-1`)).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect.poll(() => centreOf(bend)).toEqual(placed);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => centreOf(bend)).toEqual(moved);

  // Saved as the edge's via; reopened, the wire bends through the same point.
  const saved = await downloadFrom(page, 'file-save');
  const via = viaOf(saved.text);
  expect(via).toHaveLength(1);
  await page.getByTestId('file-new').click();
  await openThroughFileChooser(page, 'bent.graph.json', saved.text);
  await waitForCanvasToSettle(page);
  const reopened = await centreOf(bend);
  expect(await wireDistanceTo(page, reopened)).toBeLessThan(2);

  // Double-click the bend to remove it: the wire is a plain curve again, with no via saved.
  await page.mouse.dblclick(reopened.x, reopened.y);
  await expect(bend).toHaveCount(0);
  expect(viaOf((await downloadFrom(page, 'file-save')).text)).toBeUndefined();
  await page.screenshot({ path: '/tmp/canvas-reroute-removed.png' });
});
