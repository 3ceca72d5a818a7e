// Comparing solvers in the real app: the head-to-head preset runs into a filled, sortable table
// with its best values marked and panels that scrub together; a sweep draws one line per solver
// with the expected ordering of errors, and its numbers are the ones `principia sweep` prints.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { openPreset, runAndWait } from './editor-helpers';
import { downloadFrom } from './files-helpers';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

async function scrubTo(page: Page, fraction: number): Promise<void> {
  const box = (await page.getByTestId('compare-scrubber').boundingBox())!;
  // The thumb reaches the ends of the track at its own half width from the edges.
  await page.mouse.click(box.x + 8 + fraction * (box.width - 16), box.y + box.height / 2);
}

test('four solvers side by side: a filled, sortable table and panels that scrub together', async ({
  page,
}) => {
  await openPreset(page, 'solvers-head-to-head');
  await expect(page.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'true');
  await runAndWait(page);

  const table = page.getByTestId('compare-table');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  const column = async (key: string) =>
    (await table
      .locator(`td[data-column="${key}"]`)
      .evaluateAll((cells) =>
        cells.map((cell) => Number(cell.getAttribute('data-value'))),
      )) as number[];
  // Sorted by error, smallest first, by default; every branch measured.
  const errors = await column('mean_l2');
  expect(errors.every((value) => value > 0 && Number.isFinite(value))).toBe(true);
  expect([...errors].sort((a, b) => a - b)).toEqual(errors);
  expect(await table.locator('td.best[data-column="mean_l2"]').count()).toBe(1);
  await expect(table.locator('tbody tr').first().locator('td[data-column="mean_l2"]')).toHaveClass(
    /best/,
  );
  // Euler, first order, is the least accurate at 20 steps.
  await expect(table.locator('tbody tr').last()).toHaveAttribute('data-node', 'euler');
  // NFE: Heun pays two evaluations per step.
  const byNode = async (node: string, key: string) =>
    Number(
      await table
        .locator(`tr[data-node="${node}"] td[data-column="${key}"]`)
        .getAttribute('data-value'),
    );
  expect(await byNode('euler', 'nfe')).toBe(20);
  expect(await byNode('heun', 'nfe')).toBe(39);
  expect(await byNode('euler', 'swd')).toBeGreaterThan(0);
  // MMD² is shown as measured, sign and all, with digits enough to tell branches apart.
  const mmdCells = table.locator('td[data-column="mmd2"]');
  await expect(mmdCells).toHaveCount(4);
  for (const cell of await mmdCells.all()) {
    const value = Number(await cell.getAttribute('data-value'));
    expect(Number.isFinite(value)).toBe(true);
    const shown = Number((await cell.textContent())!.replace('★', '').trim());
    expect(Math.abs(shown - value)).toBeLessThanOrEqual(Math.max(5e-5, 0.01 * Math.abs(value)));
  }
  // A click on a header sorts by it; a second click reverses.
  await table.getByRole('button', { name: /^NFE/ }).click();
  await table.getByRole('button', { name: /^NFE/ }).click();
  expect(await column('nfe')).toEqual([...(await column('nfe'))].sort((a, b) => b - a));

  // The shared scrubber: at the start every panel shows step 0 spread like σ_max = 80; at the end
  // every panel shows its last step, near the data.
  const panels = page.locator('.branch-panel canvas');
  await expect(panels).toHaveCount(4);
  await scrubTo(page, 0);
  for (const canvas of await panels.all()) {
    await expect(canvas).toHaveAttribute('data-step', '0');
    expect(Number(await canvas.getAttribute('data-spread'))).toBeGreaterThan(60);
    expect(Number(await canvas.getAttribute('data-spread'))).toBeLessThan(100);
  }
  await scrubTo(page, 1);
  for (const canvas of await panels.all()) {
    await expect(canvas).toHaveAttribute('data-step', '20');
    expect(Number(await canvas.getAttribute('data-spread'))).toBeLessThan(3);
  }
  // Midway by σ̃ every panel stands at the same noise level or just above it.
  await scrubTo(page, 0.5);
  const shared = Number(
    (await page.getByTestId('compare-readout').textContent())!.replace(/[^\d.e+-]/gu, ''),
  );
  for (const canvas of await panels.all()) {
    const sigma = Number(await canvas.getAttribute('data-sigma'));
    expect(sigma).toBeGreaterThanOrEqual(shared * 0.999);
    expect(sigma).toBeLessThan(shared * 3);
  }
  await page.getByTestId('compare-view').screenshot({ path: 'test-results/compare-view.png' });
});

test('a sweep draws error against NFE per solver and matches principia sweep', async ({ page }) => {
  await openPreset(page, 'error-vs-nfe');
  await expect(page.getByTestId('tab-sweep')).toHaveAttribute('aria-selected', 'true');
  const axes = page.getByTestId('sweep-axes');
  await expect(axes).toHaveValue(/solver\.algorithm = euler, heun/);
  await axes.fill('solver.algorithm = euler, heun, dpmpp_2m\ntimesteps.steps = 5, 10, 20, 40');
  await page.getByTestId('run-sweep').click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 180_000,
  });

  // The chart records the lines it holds (label, fitted order, x = NFE and error per point).
  const chart = page.getByTestId('sweep-chart').locator('.uplot');
  const lines = (
    JSON.parse((await chart.getAttribute('data-series'))!) as {
      label: string;
      order: number;
      x: number[];
      error: number[];
    }[]
  ).map((line) => ({ ...line, last: line.error.at(-1)! }));
  expect(lines.map((line) => line.label)).toEqual(['euler', 'heun', 'dpmpp_2m']);
  for (const line of lines) expect(line.x).toHaveLength(4);
  const [euler, heun, dpmpp] = lines;
  // At the largest NFE first-order Euler is far behind both second-order solvers.
  expect(euler!.last).toBeGreaterThan(3 * heun!.last);
  expect(euler!.last).toBeGreaterThan(2 * dpmpp!.last);
  expect(euler!.order).toBeLessThan(1.5);
  expect(heun!.order).toBeGreaterThan(1.5);
  await expect(page.getByTestId('sweep-chart')).toHaveAttribute(
    'aria-label',
    /euler \(order \d\.\d\d\)/,
  );
  // Both axes are logarithmic, labelled at round values across the data.
  const xTicks = (await chart.getAttribute('data-x-ticks'))!.split(' ').map(Number);
  expect(xTicks[0]).toBeLessThanOrEqual(Math.min(...euler!.x));
  expect(xTicks.at(-1)).toBeGreaterThanOrEqual(Math.max(...heun!.x));
  const yTicks = (await chart.getAttribute('data-y-ticks'))!.split(' ').map(Number);
  expect(yTicks.length).toBeGreaterThanOrEqual(2);
  expect(yTicks.at(-1)! / yTicks[0]!).toBeGreaterThanOrEqual(100);

  // The same grid from the command line prints the same numbers.
  const cli = spawnSync(
    'node',
    [
      'bin/principia.mjs',
      'sweep',
      'presets/error-vs-nfe.graph.json',
      '--set',
      'solver.algorithm=euler,heun,dpmpp_2m',
      '--set',
      'timesteps.steps=5,10,20,40',
      '--json',
    ],
    { cwd: REPO, encoding: 'utf8' },
  );
  expect(cli.status, cli.stderr).toBe(0);
  const printed = JSON.parse(cli.stdout) as { points: { metrics: { mean_l2: number } }[] };
  const shown = await page
    .getByTestId('sweep-table')
    .locator('td[data-metric="mean_l2"]')
    .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
  expect(shown).toHaveLength(12);
  shown.forEach((value, index) => {
    expect(value).toBeCloseTo(printed.points[index]!.metrics.mean_l2, 6);
  });
  await page.getByTestId('sweep-panel').screenshot({ path: 'test-results/sweep-panel.png' });
  await page.getByTestId('sweep-panel').screenshot({ path: '/tmp/charts-sweep-panel.png' });

  // Exports: the table as CSV, the chart as PNG.
  const csv = await downloadFrom(page, 'sweep-csv');
  expect(csv.name).toBe('error-vs-nfe-sweep.csv');
  const rows = csv.text.trim().split('\n');
  expect(rows[0]).toMatch(/^solver\.algorithm,timesteps\.steps,nfe,ms,/u);
  expect(rows).toHaveLength(13);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('sweep-png').click(),
  ]);
  expect(download.suggestedFilename()).toBe('error-vs-nfe-sweep-chart.png');
  const png = await readFile(await download.path());
  await writeFile('/tmp/charts-sweep-export.png', png);
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  // IHDR: twice the chart's size.
  expect(png.readUInt32BE(16)).toBe(1280);
  expect(png.readUInt32BE(20)).toBe(680);
});
