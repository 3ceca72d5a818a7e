// Shared steps for the files tests: the browser file paths (downloads, file choosers, drops) and
// a stand-in for the File System Access API.
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';

/** Makes the app take the download/upload path, as in browsers without File System Access. */
export async function withoutFileSystemAccess(page: Page): Promise<void> {
  await page.addInitScript(() => {
    for (const name of ['showOpenFilePicker', 'showSaveFilePicker']) {
      Object.defineProperty(window, name, { value: undefined, configurable: true });
    }
  });
}

/** Clicks `buttonTestId` and returns the name and text of the download it starts. */
export async function downloadFrom(
  page: Page,
  buttonTestId: string,
): Promise<{ name: string; text: string }> {
  const { name, bytes } = await downloadBytes(page, buttonTestId);
  return { name, text: bytes.toString('utf8') };
}

/** Clicks `buttonTestId` and returns the name and bytes of the download it starts. */
export async function downloadBytes(
  page: Page,
  buttonTestId: string,
): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(buttonTestId).click(),
  ]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

/** Opens `text` as `name` through Open… and the browser's file chooser. */
export async function openThroughFileChooser(page: Page, name: string, text: string) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByTestId('file-open').click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** Drops a file named `name` holding `text` on the window, as a user dragging it from a folder. */
export async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'application/json' }));
      return transfer;
    },
    { name, text },
  );
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
}

/** Drags a node card by its header, which edits the document (its position). */
export async function dragNode(page: Page, nodeId: string, dx: number, dy: number) {
  const header = page.getByTestId(`node-${nodeId}`).locator('header');
  const box = await header.boundingBox();
  if (!box) throw new Error(`node ${nodeId} is not on screen`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}

export async function waitForCanvas(page: Page): Promise<void> {
  await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 60_000 });
}
