// Collapsing a node to its header: the toggle on the card and the node menu; the collapsed card
// keeps its wires on its header and takes new ones; saved as the node's `collapsed` field.
import { expect, test, type Page } from '@playwright/test';
import { readDocument, wire } from './editor-helpers';
import {
  downloadFrom,
  openThroughFileChooser,
  waitForCanvas,
  withoutFileSystemAccess,
} from './files-helpers';

interface SavedNode {
  id: string;
  collapsed?: boolean;
}

async function savedNode(page: Page, id: string): Promise<SavedNode | undefined> {
  const document = JSON.parse(await readDocument(page)) as { nodes: SavedNode[] };
  return document.nodes.find((node) => node.id === id);
}

/** The end point of a wire's drawn path (where it meets its input), in screen pixels. */
async function wireEnd(page: Page, edgeId: string): Promise<{ x: number; y: number }> {
  return page.getByTestId(`rf__edge-${edgeId}`).evaluate((edge) => {
    const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path')!;
    const end = path.getPointAtLength(path.getTotalLength());
    const matrix = path.getScreenCTM()!;
    return { x: end.x * matrix.a + matrix.e, y: end.y * matrix.d + matrix.f };
  });
}

test('collapse a node to its header: wires stay on it, new ones attach, saved and undoable', async ({
  page,
}) => {
  await withoutFileSystemAccess(page);
  await page.goto('/');
  await waitForCanvas(page);
  const solver = page.getByTestId('node-solver');
  // Heights in CSS pixels, whatever the zoom.
  const height = () => solver.evaluate((card) => (card as HTMLElement).offsetHeight);
  const expanded = await height();
  await expect(solver.locator('.params')).toHaveCount(1);

  await page.getByTestId('collapse-solver').click();
  await expect(solver).toHaveClass(/\bcollapsed\b/);
  await expect(solver.locator('.params')).toHaveCount(0);
  await expect(solver.locator('.node-title')).toContainText('Solver');
  expect(await height()).toBeLessThan(expanded / 2);
  expect((await savedNode(page, 'solver'))?.collapsed).toBe(true);

  // Its three wires still end on it: on the header's left edge, inside its height.
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  const header = (await solver.locator('header').boundingBox())!;
  for (const edge of [
    'prior.samples->solver.noise',
    'denoiser.denoiser->solver.denoiser',
    'timesteps.timesteps->solver.timesteps',
  ]) {
    const end = await wireEnd(page, edge);
    expect(Math.abs(end.x - header.x)).toBeLessThan(8);
    expect(end.y).toBeGreaterThan(header.y);
    expect(end.y).toBeLessThan(header.y + header.height);
  }
  await page.screenshot({ path: '/tmp/canvas-collapse-solver.png' });
  await solver.screenshot({ path: '/tmp/canvas-collapse-card.png' });

  // A copy of the prior, collapsed from its menu, wired into the collapsed solver by mouse.
  await page.getByTestId('node-prior').locator('header').click({ button: 'right' });
  await page.getByTestId('menu-item-duplicate').click();
  const copy = page.getByTestId('node-prior_2');
  await expect(copy).toBeVisible();
  await copy.locator('header').click({ button: 'right' });
  await expect(page.getByTestId('menu-item-collapse')).toHaveAttribute('aria-checked', 'false');
  await page.getByTestId('menu-item-collapse').click();
  await expect(copy).toHaveClass(/\bcollapsed\b/);
  await wire(page, ['prior_2', 'samples'], ['solver', 'noise']);
  await expect(page.getByTestId('rf__edge-prior_2.samples->solver.noise')).toBeVisible();
  await expect(page.getByTestId('rf__edge-prior.samples->solver.noise')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/canvas-collapse-wired.png' });

  // Saved and reopened, both are still collapsed; expanding leaves no field behind.
  const saved = await downloadFrom(page, 'file-save');
  const nodes = (JSON.parse(saved.text) as { nodes: SavedNode[] }).nodes;
  expect(nodes.filter((node) => node.collapsed).map((node) => node.id)).toEqual([
    'solver',
    'prior_2',
  ]);
  await page.getByTestId('file-new').click();
  await openThroughFileChooser(page, 'collapsed.graph.json', saved.text);
  await expect(solver).toHaveClass(/\bcollapsed\b/);
  await expect(copy).toHaveClass(/\bcollapsed\b/);

  await page.getByTestId('collapse-solver').click();
  await expect(solver).not.toHaveClass(/\bcollapsed\b/);
  await expect(solver.locator('.params')).toHaveCount(1);
  expect(await height()).toBe(expanded);
  expect(await savedNode(page, 'solver')).not.toHaveProperty('collapsed');

  // One undo collapses it again.
  await page.keyboard.press('Control+z');
  await expect(solver).toHaveClass(/\bcollapsed\b/);
});
