// Typing is typing: no single-key shortcut (L lays out, F fits, Space quick-adds, Delete removes)
// fires while focus is in a note, the node search or an inspector field; and Ctrl+A on the canvas
// selects every node and note.
import { expect, test, type Page } from '@playwright/test';
import {
  dragFromLibrary,
  emptyCanvasPoint,
  readDocument,
  waitForCanvasToSettle,
} from './editor-helpers';

async function nodePositions(page: Page): Promise<string> {
  return JSON.stringify(
    (
      JSON.parse(await readDocument(page)) as { nodes: { id: string; position: unknown }[] }
    ).nodes.map((node) => [node.id, node.position]),
  );
}

test('single-key shortcuts stay out of text; Ctrl+A selects all', async ({ page }, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);

  await dragFromLibrary(page, 'note', { x: 40, y: 520 });
  const note = page.getByTestId('note-note').locator('textarea');
  await waitForCanvasToSettle(page);
  const before = await nodePositions(page);
  const nodes = page.locator('.react-flow__node');
  const count = await nodes.count();

  // A sentence with every single-key shortcut in it, typed into the note.
  const sentence = 'Let Fashion look fine? Lower L, then F; Space: ok';
  await note.click();
  await page.keyboard.type(sentence);
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Delete');
  await expect(note).toHaveValue(sentence.slice(0, -1));
  await expect(page.getByTestId('quick-add')).toHaveCount(0);
  await expect(page.getByTestId('help')).toHaveCount(0);
  await expect(nodes).toHaveCount(count);
  await page.waitForTimeout(300); // a layout would move nodes within a frame or two
  expect(await nodePositions(page)).toBe(before);

  // The same in the library's search field and in an inspector text field.
  const search = page.getByPlaceholder('Search nodes…');
  await search.click();
  await page.keyboard.type('l f ');
  await expect(search).toHaveValue('l f ');
  await expect(page.getByTestId('quick-add')).toHaveCount(0);
  await search.fill('');
  await page.getByTestId('node-denoiser').locator('header').click();
  const json = page.getByTestId('param-means').locator('textarea');
  await json.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' L F ');
  await expect(page.getByTestId('quick-add')).toHaveCount(0);
  expect(await nodePositions(page)).toBe(before);
  await page.keyboard.press('Escape');

  // Ctrl+A on the canvas selects every node and the note; in a text field it selects its text.
  const pane = await emptyCanvasPoint(page);
  await page.mouse.click(pane.x, pane.y);
  await page.keyboard.press('Control+a');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(count);
  await note.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('replaced');
  await expect(note).toHaveValue('replaced');
  await page.screenshot({ path: testInfo.outputPath('editor-typing.png') });
});
