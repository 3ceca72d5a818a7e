// Legible canvas: every preset opens with card titles at ≥ 10 px on screen (zoomed-out cards drop
// their details and scale their title and ports up), cards still clear of each other; zooming in
// brings the details back; a graph that fits at the legible zoom is never framed smaller.
import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { waitForCanvasToSettle } from './editor-helpers';
import { openThroughFileChooser, waitForCanvas, withoutFileSystemAccess } from './files-helpers';

const PRESETS = readdirSync(new URL('../../presets/', import.meta.url))
  .filter((name) => name.endsWith('.graph.json'))
  .map((name) => name.replace(/\.graph\.json$/, ''));

/** The canvas's zoom, from React Flow's viewport transform. */
async function zoom(page: Page): Promise<number> {
  return page
    .locator('.react-flow__viewport')
    .evaluate((viewport) => new DOMMatrix(getComputedStyle(viewport).transform).a);
}

interface CardText {
  id: string;
  /** The title's font size as drawn on screen: its CSS size times the zoom. */
  titlePx: number;
  box: { x: number; y: number; width: number; height: number };
}

async function cards(page: Page): Promise<CardText[]> {
  const scale = await zoom(page);
  return page.locator('.node-card').evaluateAll(
    (elements, scale) =>
      elements.map((card) => {
        const title = card.querySelector('.node-title')!;
        const { x, y, width, height } = card.getBoundingClientRect();
        return {
          id: card.getAttribute('data-testid')!,
          titlePx: parseFloat(getComputedStyle(title).fontSize) * scale,
          box: { x, y, width, height },
        };
      }),
    scale,
  );
}

function overlap(a: CardText['box'], b: CardText['box']): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('every preset opens with titles legible and cards clear of each other', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=wasm');
  await waitForCanvas(page);
  const zooms: string[] = [];
  for (const name of PRESETS) {
    await page.getByTestId('open-gallery').click();
    await page.getByTestId(`preset-${name}`).click();
    await waitForCanvasToSettle(page);
    await page.screenshot({ path: `/tmp/canvas-legible-${name}.png` });
    const shown = await cards(page);
    expect(shown.length, name).toBeGreaterThan(3);
    const smallest = Math.min(...shown.map((card) => card.titlePx));
    zooms.push(`${name}: zoom ${(await zoom(page)).toFixed(2)}, title ${smallest.toFixed(1)} px`);
    expect(smallest, `${name}: the smallest card title on screen`).toBeGreaterThanOrEqual(10);
    for (const [index, card] of shown.entries()) {
      for (const other of shown.slice(index + 1)) {
        expect(overlap(card.box, other.box), `${name}: ${card.id} overlaps ${other.id}`).toBe(
          false,
        );
      }
    }
  }
  console.log(zooms.join('\n'));
});

test('zoomed out, cards drop their details; zoomed in, the details are back', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForCanvas(page);
  await waitForCanvasToSettle(page);
  const solver = page.getByTestId('node-solver');
  const zoomIn = page.getByRole('button', { name: 'zoom in' });
  const zoomOut = page.getByRole('button', { name: 'zoom out' });

  while ((await zoom(page)) < 0.8) await zoomIn.click();
  await waitForCanvasToSettle(page);
  await expect(solver.locator('.params')).toBeVisible();
  await expect(solver.locator('.node-kind')).toBeVisible();
  await page.screenshot({ path: '/tmp/canvas-legible-zoomed-in.png' });

  while ((await zoom(page)) >= 0.5) await zoomOut.click();
  await waitForCanvasToSettle(page);
  await expect(solver.locator('.params')).toBeHidden();
  await expect(solver.locator('.node-kind')).toBeHidden();
  // The ports stay, named, and wires still reach them.
  await expect(solver.locator('.port-name', { hasText: 'denoiser' })).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  const [shown] = (await cards(page)).filter((card) => card.id === 'node-solver');
  expect(shown!.titlePx).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: '/tmp/canvas-legible-zoomed-out.png' });
});

test('a graph that fits at the legible zoom is framed no smaller than that', async ({ page }) => {
  await withoutFileSystemAccess(page);
  await page.goto('/');
  await waitForCanvas(page);
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  // Three cards side by side, spread to 90 % of what fits at zoom 0.8: a padded fit-to-view
  // would frame them smaller.
  const step = (canvas.width / 0.8 - 240) / 2 - 20;
  const graph = {
    format: 'principia.graph',
    version: 2,
    nodes: ['a', 'b', 'c'].map((id, index) => ({
      id,
      type: 'edm-schedule',
      typeVersion: 1,
      position: { x: index * step, y: 0 },
      params: { sigma_max: 80 },
    })),
    edges: [],
  };
  await openThroughFileChooser(page, 'three.graph.json', JSON.stringify(graph));
  await expect(page.locator('.node-card')).toHaveCount(3);
  await waitForCanvasToSettle(page);
  expect(await zoom(page)).toBeGreaterThanOrEqual(0.8 - 1e-6);
  await page.keyboard.press('f');
  await waitForCanvasToSettle(page);
  expect(await zoom(page)).toBeGreaterThanOrEqual(0.8 - 1e-6);
  // All three whole on the canvas, in full detail.
  for (const card of await cards(page)) {
    expect(card.box.x).toBeGreaterThanOrEqual(canvas.x);
    expect(card.box.x + card.box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  }
  await expect(page.locator('.node-card .params').first()).toBeVisible();
  await page.screenshot({ path: '/tmp/canvas-legible-fits.png' });
});
