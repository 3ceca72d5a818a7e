// The presets gallery and crash recovery in the browser: a preset opens as a new document and runs;
// an autosaved document left behind by a crash is offered back at the next start.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dragNode, waitForCanvas } from './files-helpers';

const presetsFolder = new URL('../../presets/', import.meta.url);
const presetFiles = readdirSync(presetsFolder).filter((name) => name.endsWith('.graph.json'));
const RECOVERY_KEY = 'principia.recovery';

test('opens a preset from the gallery as a new document and runs it', async ({
  page,
}, testInfo) => {
  const preset = JSON.parse(
    readFileSync(new URL('two-moons-empirical.graph.json', presetsFolder), 'utf8'),
  ) as { title: string; nodes: { id: string; type: string; params: Record<string, unknown> }[] };
  await page.goto('/?backend=wasm');
  await waitForCanvas(page);

  await page.getByTestId('open-gallery').click();
  const gallery = page.getByTestId('preset-gallery');
  await expect(gallery.locator('.preset-card')).toHaveCount(presetFiles.length);
  // Every card has a title, a line of description and a drawn thumbnail.
  for (const card of await gallery.locator('.preset-card').all()) {
    await expect(card.locator('.preset-title')).not.toBeEmpty();
    await expect(card.locator('.preset-summary')).not.toBeEmpty();
    expect(await card.locator('svg rect').count()).toBeGreaterThan(0);
  }
  await page.screenshot({ path: testInfo.outputPath('gallery.png') });

  await gallery.getByTestId('preset-two-moons-empirical').click();
  await expect(gallery).toBeHidden();
  for (const node of preset.nodes) await expect(page.getByTestId(`node-${node.id}`)).toBeVisible();
  await expect(page.getByTestId('graph-title')).toContainText(preset.title);
  await expect(page.getByTestId('unsaved-marker')).toBeHidden();

  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 150_000,
  });
  const count = preset.nodes.find((node) => node.type === 'gaussian-prior')?.params['count'];
  await expect(page.getByTestId('scatter-points')).toHaveAttribute(
    'data-point-count',
    String(count),
  );
  await page.screenshot({ path: testInfo.outputPath('preset-after-run.png') });
});

test('offers to restore a document left by a crash', async ({ page }, testInfo) => {
  await page.goto('/');
  await waitForCanvas(page);
  // What autosave would have written before the crash: the default graph with a node moved.
  const document = JSON.parse(
    readFileSync(new URL('default.graph.json', presetsFolder), 'utf8'),
  ) as { title: string; nodes: { id: string; position: { x: number; y: number } }[] };
  document.title = 'Work in progress';
  document.nodes.find((node) => node.id === 'solver')!.position = { x: 1000, y: 300 };
  await page.evaluate(([key, entry]) => localStorage.setItem(key, entry), [
    RECOVERY_KEY,
    JSON.stringify({
      savedAt: '2025-06-01T10:20:30.000Z',
      source: 'experiment.json',
      text: JSON.stringify(document),
    }),
  ] as const);
  await page.reload();

  const offer = page.getByTestId('recovery-offer');
  await expect(offer).toContainText('experiment.json');
  await page.screenshot({ path: testInfo.outputPath('recovery-offer.png') });
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(offer).toBeHidden();
  await expect(page.getByTestId('graph-title')).toContainText('Work in progress');
  // Restored work is unsaved until saved somewhere.
  await expect(page.getByTestId('unsaved-marker')).toBeVisible();
});

test('autosave keeps unsaved work that a reload would lose, and Discard forgets it', async ({
  page,
}) => {
  await page.goto('/');
  await waitForCanvas(page);
  await dragNode(page, 'solver', 80, 60);
  await expect(page.getByTestId('unsaved-marker')).toBeVisible();
  // Autosave runs every few seconds.
  const autosavedSolverX = () =>
    page.evaluate((key) => {
      const entry = JSON.parse(localStorage.getItem(key) ?? 'null') as { text: string } | null;
      const graph =
        entry && (JSON.parse(entry.text) as { nodes: { id: string; position: { x: number } }[] });
      return graph?.nodes.find((node) => node.id === 'solver')?.position.x ?? null;
    }, RECOVERY_KEY);
  await expect.poll(autosavedSolverX, { timeout: 15_000 }).toBeGreaterThan(810);

  // The page goes away with unsaved changes (leave anyway), as in a crash.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  const offer = page.getByTestId('recovery-offer');
  await expect(offer).toContainText('default.graph.json');
  await offer.getByRole('button', { name: 'Discard' }).click();
  await expect(offer).toBeHidden();
  expect(await page.evaluate((key) => localStorage.getItem(key), RECOVERY_KEY)).toBeNull();
  await page.reload();
  await waitForCanvas(page);
  await expect(page.getByTestId('recovery-offer')).toBeHidden();
});
