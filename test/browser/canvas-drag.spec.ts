// Dragging a card: while the pointer moves, the card follows it and its wires follow the card
// (drawn on the overlay, their own elements hidden); at the drop the wires are themselves again,
// ending on the ports where the card now is, and one undo puts the card back.
import { expect, test, type Page } from '@playwright/test';
import { centreOf, port, readDocument, waitForCanvasToSettle } from './editor-helpers';
import { waitForCanvas } from './files-helpers';

/** Whether the overlay has ink within `radius` px of a point on the page. */
async function overlayInkNear(page: Page, at: { x: number; y: number }, radius = 6) {
  return page.evaluate(
    ({ at, radius }) => {
      const overlay = document.querySelector<HTMLCanvasElement>('canvas.drag-wires')!;
      const box = overlay.getBoundingClientRect();
      const ratio = overlay.width / box.width;
      const x = Math.round((at.x - box.x - radius) * ratio);
      const y = Math.round((at.y - box.y - radius) * ratio);
      const side = Math.round(2 * radius * ratio);
      const pixels = overlay.getContext('2d')!.getImageData(x, y, side, side).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) return true;
      return false;
    },
    { at, radius },
  );
}

/** The on-screen end points of the wire into `node.portName` (its drawn path's first and last). */
async function wireEnds(page: Page, wireId: string) {
  return page.evaluate((id) => {
    const path = document.querySelector<SVGPathElement>(
      `.react-flow__edge[data-id="${CSS.escape(id)}"] .react-flow__edge-path`,
    )!;
    const matrix = path.getScreenCTM()!;
    const onScreen = (point: DOMPoint) => point.matrixTransform(matrix);
    const first = onScreen(path.getPointAtLength(0));
    const last = onScreen(path.getPointAtLength(path.getTotalLength()));
    return { from: { x: first.x, y: first.y }, to: { x: last.x, y: last.y } };
  }, wireId);
}

test('a dragged card takes its wires along, and the drop leaves them on its ports', async ({
  page,
}) => {
  await page.goto('/');
  await waitForCanvas(page);
  await waitForCanvasToSettle(page);
  const wireId = 'denoiser.denoiser->solver.denoiser';
  const header = page.getByTestId('node-solver').locator('header');
  const start = await centreOf(header);
  const portBefore = await centreOf(port(page, 'solver', 'input', 'denoiser'));

  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const steps = 12;
  // Towards the middle of the canvas: near its edge React Flow would pan the view as well.
  const shift = { x: -120, y: 60 };
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(start.x + (shift.x * i) / steps, start.y + (shift.y * i) / steps);
  }
  // Mid-drag: the card has moved with the pointer (React Flow drops the move that starts a
  // drag, a few pixels at most), its wire is hidden and drawn on the overlay up to its port.
  const headerMid = await centreOf(header);
  expect(Math.abs(headerMid.x - (start.x + shift.x))).toBeLessThan(12);
  expect(Math.abs(headerMid.y - (start.y + shift.y))).toBeLessThan(12);
  const portMid = await centreOf(port(page, 'solver', 'input', 'denoiser'));
  await expect(
    page
      .locator(`.react-flow__edge[data-id="${wireId}"]`)
      .locator('xpath=ancestor::*[name()="svg"][1]'),
  ).toHaveClass(/dragged-wire/);
  expect(await overlayInkNear(page, portMid)).toBe(true);
  await page.screenshot({ path: '/tmp/canvas-drag-mid.png' });

  await page.mouse.up();
  // Dropped: the wire is itself again, ending on the port where the card now is; the overlay is
  // gone.
  await expect(page.locator('svg.dragged-wire')).toHaveCount(0);
  const portAfter = await centreOf(port(page, 'solver', 'input', 'denoiser'));
  await expect
    .poll(async () => {
      const { to } = await wireEnds(page, wireId);
      return Math.hypot(to.x - portAfter.x, to.y - portAfter.y);
    })
    .toBeLessThan(8);
  await expect(page.locator('canvas.drag-wires')).toBeHidden();
  const moved = JSON.parse(await readDocument(page)) as {
    nodes: { id: string; position: { x: number; y: number } }[];
  };
  const solverAt = moved.nodes.find((node) => node.id === 'solver')!.position;
  await page.screenshot({ path: '/tmp/canvas-drag-dropped.png' });

  // One undo puts the card (and so its wire) back.
  await page.keyboard.press('Control+z');
  await expect
    .poll(async () => {
      const back = await centreOf(port(page, 'solver', 'input', 'denoiser'));
      return Math.hypot(back.x - portBefore.x, back.y - portBefore.y);
    })
    .toBeLessThan(2);
  const undone = JSON.parse(await readDocument(page)) as typeof moved;
  expect(undone.nodes.find((node) => node.id === 'solver')!.position).not.toEqual(solverAt);
});
