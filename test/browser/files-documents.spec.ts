// Files in the browser: export and re-import give the identical document; the unsaved marker and
// the prompt before losing changes; newer versions refused with a message; unknown node types
// survive open → save; File System Access saves back to the same file.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  downloadFrom,
  dragNode,
  dropFile,
  openThroughFileChooser,
  waitForCanvas,
  withoutFileSystemAccess,
} from './files-helpers';

const defaultPresetText = readFileSync(
  new URL('../../presets/default.graph.json', import.meta.url),
  'utf8',
);

test.describe('without the File System Access API', () => {
  test.beforeEach(async ({ page }) => {
    await withoutFileSystemAccess(page);
    await page.goto('/');
    await waitForCanvas(page);
  });

  test('export JSON, re-import it, and get an identical document', async ({ page }) => {
    await expect(page.getByTestId('unsaved-marker')).toBeHidden();
    const exported = await downloadFrom(page, 'file-export');
    expect(exported.name).toBe('default.graph.json');
    // The preset is a version-1 file: it opens migrated to the current format, groups and all.
    expect(JSON.parse(exported.text)).toEqual({
      ...JSON.parse(defaultPresetText),
      version: 2,
      groups: [],
    });

    // Replace it with an empty graph, then bring the export back.
    await page.getByTestId('file-new').click();
    await expect(page.locator('.react-flow__node')).toHaveCount(0);
    await openThroughFileChooser(page, 'reimported.json', exported.text);
    await expect(page.locator('.react-flow__node')).toHaveCount(5);
    await expect(page.getByTestId('graph-title')).toContainText('reimported.json');
    await expect(page.getByTestId('unsaved-marker')).toBeHidden();

    const again = await downloadFrom(page, 'file-export');
    expect(again.name).toBe('reimported.json');
    expect(again.text).toBe(exported.text);
  });

  test('the unsaved marker follows edits and saves; changes are not lost silently', async ({
    page,
  }, testInfo) => {
    await dragNode(page, 'solver', 80, 60);
    await expect(page.getByTestId('unsaved-marker')).toBeVisible();
    await expect(page).toHaveTitle(/^• /);
    await page.screenshot({ path: testInfo.outputPath('unsaved-marker.png') });

    // New asks first; Cancel keeps the graph and its changes.
    await page.getByTestId('file-new').click();
    await expect(page.getByTestId('unsaved-prompt')).toContainText('Save changes to');
    await page.screenshot({ path: testInfo.outputPath('unsaved-prompt.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('.react-flow__node')).toHaveCount(5);
    await expect(page.getByTestId('unsaved-marker')).toBeVisible();

    // Save downloads the graph (no file handle in this browser) and clears the marker.
    const saved = await downloadFrom(page, 'file-save');
    expect(saved.name).toBe('default.graph.json');
    const solver = (
      JSON.parse(saved.text) as { nodes: { id: string; position: { x: number } }[] }
    ).nodes.find((node) => node.id === 'solver');
    expect(solver?.position.x).toBeGreaterThan(810);
    await expect(page.getByTestId('unsaved-marker')).toBeHidden();

    // After another edit, "Don't save" lets New replace the graph.
    await dragNode(page, 'prior', -40, 30);
    await expect(page.getByTestId('unsaved-marker')).toBeVisible();
    await page.getByTestId('file-new').click();
    await page.getByTestId('prompt-discard').click();
    await expect(page.locator('.react-flow__node')).toHaveCount(0);
    await expect(page.getByTestId('unsaved-marker')).toBeHidden();
  });

  test('a file from a newer Principia is refused with a clear message', async ({
    page,
  }, testInfo) => {
    const newer = { ...JSON.parse(defaultPresetText), version: 99 };
    await openThroughFileChooser(page, 'from-the-future.json', JSON.stringify(newer));
    const message = page.getByTestId('file-message');
    await expect(message).toContainText('Cannot open from-the-future.json');
    await expect(message).toContainText('newer Principia (format version 99)');
    await expect(message).toContainText('Update Principia to open it');
    await page.screenshot({ path: testInfo.outputPath('newer-version-refused.png') });
    await message.getByRole('button', { name: 'OK' }).click();
    // The open graph is untouched.
    await expect(page.locator('.react-flow__node')).toHaveCount(5);
    await expect(page.getByTestId('graph-title')).toContainText('default.graph.json');
  });

  test('a node of an unknown type survives open (by drop) and save', async ({ page }, testInfo) => {
    // Written at the current format version, so saving it back changes nothing.
    const original = { ...JSON.parse(defaultPresetText), version: 2, groups: [] } as {
      nodes: Record<string, unknown>[];
      edges: Record<string, unknown>[];
    };
    original.nodes.push({
      id: 'future',
      type: 'teleporting-sampler',
      typeVersion: 3,
      position: { x: 810, y: 330 },
      params: { warp: [1, 2, 3], mode: 'fast' },
    });
    original.edges.push({
      from: { node: 'solver', port: 'samples' },
      to: { node: 'future', port: 'input' },
    });
    const text = `${JSON.stringify(original, null, 2)}\n`;

    await dropFile(page, 'with-future-node.json', text);
    await expect(page.getByTestId('node-future')).toBeVisible();
    await expect(page.getByTestId('node-future')).toContainText('teleporting-sampler');
    await expect(page.locator('.react-flow__edge')).toHaveCount(original.edges.length);
    await page.screenshot({ path: testInfo.outputPath('unknown-node-opened.png') });

    // A dropped file has no file to save back to: Save downloads under its name.
    const saved = await downloadFrom(page, 'file-save');
    expect(saved.name).toBe('with-future-node.json');
    expect(saved.text).toBe(text);
  });
});

test('with File System Access, Save As picks a file once and Save writes back to it', async ({
  page,
}) => {
  // A stand-in for the browser's picker and file handle that records what is written.
  await page.addInitScript(() => {
    const state = { pickerCalls: 0, writes: [] as string[] };
    (window as unknown as { fileSystemLog: typeof state }).fileSystemLog = state;
    const handle = {
      kind: 'file',
      name: 'picked.graph.json',
      async createWritable() {
        let text = '';
        return {
          async write(chunk: string) {
            text += chunk;
          },
          async close() {
            state.writes.push(text);
          },
          async abort() {},
        };
      },
    };
    Object.defineProperty(window, 'showSaveFilePicker', {
      configurable: true,
      value: async () => {
        state.pickerCalls++;
        return handle;
      },
    });
  });
  await page.goto('/');
  await waitForCanvas(page);
  const log = () =>
    page.evaluate(
      () =>
        (window as unknown as { fileSystemLog: { pickerCalls: number; writes: string[] } })
          .fileSystemLog,
    );

  await dragNode(page, 'solver', 60, 40);
  await expect(page.getByTestId('unsaved-marker')).toBeVisible();
  // Nothing chosen yet: Save asks where.
  await page.getByTestId('file-save').click();
  await expect(page.getByTestId('unsaved-marker')).toBeHidden();
  await expect(page.getByTestId('graph-title')).toContainText('picked.graph.json');

  await dragNode(page, 'solver', 0, 60);
  await expect(page.getByTestId('unsaved-marker')).toBeVisible();
  await page.getByTestId('file-save').click();
  await expect(page.getByTestId('unsaved-marker')).toBeHidden();

  const { pickerCalls, writes } = await log();
  expect(pickerCalls).toBe(1);
  expect(writes).toHaveLength(2);
  expect(writes[0]).not.toBe(writes[1]);
  expect(JSON.parse(writes[1]!)).toMatchObject({ format: 'principia.graph', version: 2 });
});
