// A sweep run elsewhere — here as two shards and `principia sweep merge`, as a cluster would —
// opens in the app's Sweep tab: the same lines, orders and table as the command line printed; a
// file that is not a sweep result is refused with its name, and the tab keeps working.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { openPreset } from './editor-helpers';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const GRID = ['--set', 'solver.algorithm=euler,heun', '--set', 'timesteps.steps=4,8,16'];

function cli(args: string[]): string {
  const run = spawnSync('node', ['bin/principia.mjs', ...args], { cwd: REPO, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

test('a merged sweep from shards opens in the Sweep tab; a bad file is refused', async ({
  page,
}, testInfo) => {
  const folder = await mkdtemp(join(tmpdir(), 'principia-merged-'));
  try {
    const graph = 'presets/error-vs-nfe.graph.json';
    for (const shard of ['0/2', '1/2'])
      cli(['sweep', graph, ...GRID, '--shard', shard, '--out', folder]);
    const mergedText = cli(['sweep', 'merge', folder, '--json']);
    const merged = JSON.parse(mergedText) as {
      points: { metrics: { mean_l2: number } }[];
    };
    const file = join(folder, 'merged.json');
    await writeFile(file, mergedText);

    await openPreset(page, 'error-vs-nfe');
    await expect(page.getByTestId('tab-sweep')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('sweep-open-result').setInputFiles(file);
    await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'done');
    await expect(page.getByTestId('sweep-status')).toContainText('6 / 6 grid points');
    const chart = page.getByTestId('sweep-chart').locator('.uplot');
    const lines = JSON.parse((await chart.getAttribute('data-series'))!) as {
      label: string;
      x: number[];
    }[];
    expect(lines.map((line) => line.label)).toEqual(['euler', 'heun']);
    for (const line of lines) expect(line.x).toHaveLength(3);
    const shown = await page
      .getByTestId('sweep-table')
      .locator('td[data-metric="mean_l2"]')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
    expect(shown).toEqual(merged.points.map((point) => point.metrics.mean_l2));
    await page.getByTestId('sweep-panel').screenshot({ path: testInfo.outputPath('opened.png') });

    const bad = join(folder, 'not-a-sweep.json');
    await writeFile(bad, JSON.stringify({ format: 'principia.graph', nodes: [] }));
    await page.getByTestId('sweep-open-result').setInputFiles(bad);
    await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'failed');
    await expect(page.getByTestId('sweep-panel').getByRole('alert')).toContainText(
      'not-a-sweep.json',
    );
    // The tab still runs a sweep of its own afterwards.
    await expect(page.getByTestId('run-sweep')).toBeEnabled();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
