// Two copying habits from ComfyUI: Ctrl+Shift+V pastes copies still fed by the wires that fed the
// originals (Ctrl+V does not), and Alt-drag drags a copy away, leaving the original and its wires.
import { expect, test, type Page } from '@playwright/test';
import { centreOf, emptyCanvasPoint, openPreset, readDocument } from './editor-helpers';

interface Doc {
  nodes: { id: string; position: { x: number; y: number } }[];
  edges: { from: { node: string; port: string }; to: { node: string; port: string } }[];
}

async function documentNow(page: Page): Promise<Doc> {
  return JSON.parse(await readDocument(page)) as Doc;
}

function wiresInto(doc: Doc, node: string): string[] {
  return doc.edges
    .filter((edge) => edge.to.node === node)
    .map((edge) => `${edge.from.node}.${edge.from.port}->${edge.to.port}`)
    .sort();
}

test('Ctrl+Shift+V keeps the input wires; Ctrl+V does not', async ({ page }, testInfo) => {
  await openPreset(page, 'default');
  await page.getByTestId('node-solver').locator('header').click();
  await page.keyboard.press('Control+c');

  const free = await emptyCanvasPoint(page);
  await page.mouse.move(free.x - 200, free.y + 40);
  await page.keyboard.press('Control+Shift+v');
  await expect(page.getByTestId('node-solver_2')).toBeVisible();
  await page.mouse.move(free.x - 200, free.y + 300);
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('node-solver_3')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pasted.png') });

  const doc = await documentNow(page);
  expect(wiresInto(doc, 'solver_2')).toEqual(wiresInto(doc, 'solver'));
  expect(wiresInto(doc, 'solver_2')).toHaveLength(3);
  expect(wiresInto(doc, 'solver_3')).toEqual([]);
});

test('Alt-drag leaves the original and its wires, and drops a copy', async ({ page }, testInfo) => {
  await openPreset(page, 'default');
  const before = await documentNow(page);
  const original = before.nodes.find((node) => node.id === 'prior')!;

  const header = page.getByTestId('node-prior').locator('header');
  const from = await centreOf(header);
  const to = { x: from.x + 10, y: from.y - 150 };
  await page.keyboard.down('Alt');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y - 6, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
  await page.keyboard.up('Alt');
  await expect(page.getByTestId('node-prior_2')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('alt-dragged.png') });

  const after = await documentNow(page);
  expect(after.nodes.find((node) => node.id === 'prior')!.position).toEqual(original.position);
  expect(wiresInto(after, 'prior')).toEqual(wiresInto(before, 'prior'));
  expect(after.edges.filter((edge) => edge.from.node === 'prior')).toHaveLength(
    before.edges.filter((edge) => edge.from.node === 'prior').length,
  );
  const copy = after.nodes.find((node) => node.id === 'prior_2')!;
  expect(copy.position.y).toBeLessThan(original.position.y - 50);
  // On screen too: the original's card is where it was, the copy's where the drag ended.
  expect((await centreOf(header)).y).toBeCloseTo(from.y, 0);
  const copyHeader = await centreOf(page.getByTestId('node-prior_2').locator('header'));
  expect(Math.abs(copyHeader.y - to.y)).toBeLessThan(12);

  // An ordinary drag afterwards moves, and does not copy.
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y + 6, { steps: 2 });
  await page.mouse.move(from.x + 40, from.y + 30, { steps: 8 });
  await page.mouse.up();
  const last = await documentNow(page);
  expect(last.nodes.map((node) => node.id).sort()).toEqual(after.nodes.map((n) => n.id).sort());
  expect(last.nodes.find((node) => node.id === 'prior')!.position).not.toEqual(original.position);
});
