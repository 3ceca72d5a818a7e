// Training steps against NLL in the app, as `principia sweep` does it: on the "how good is my
// trained denoiser" preset the Sweep tab names which of its two Metrics nodes to read, trains the
// MLP denoiser afresh at each grid point (in memory: its weights file stays as it was), the
// table shows each point's NLL of the held-out data and the training it ran first, and the chart
// can plot the NLL.
import { expect, test } from '@playwright/test';
import { openPreset, readDocument } from './editor-helpers';

test('a sweep over train_steps trains at each point and reads the NLL it asks for', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openPreset(page, 'trained-denoiser-nll');
  await page.getByTestId('tab-sweep').click();

  const measure = page.getByTestId('sweep-measure');
  await expect(measure.locator('option')).toHaveText(['exact_metrics', 'trained_metrics']);
  await measure.selectOption('trained_metrics');
  await page.getByTestId('sweep-axes').fill('trained.train_steps = 20, 400');
  await page.getByTestId('run-sweep').click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 150_000,
  });

  const rows = page.getByTestId('sweep-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  const nll = page.getByTestId('sweep-table').locator('td[data-metric="nll"]');
  const values = (await nll.evaluateAll((cells) =>
    cells.map((cell) => Number(cell.getAttribute('data-value'))),
  )) as number[];
  expect(values.every(Number.isFinite)).toBe(true);
  // 400 Adam steps fit the two moons better than 20: a lower NLL of the held-out points.
  expect(values[1]!).toBeLessThan(values[0]!);
  await expect(page.getByTestId('sweep-trained')).toHaveText([
    /^trained: 20 steps, \d+\.\d s$/u,
    /^trained: 400 steps, \d+\.\d s$/u,
  ]);
  // The grid keeps the NFE, so the chart runs against the training steps, with no fitted order.
  const chart = page.getByTestId('sweep-chart').locator('.uplot');
  const lines = JSON.parse((await chart.getAttribute('data-series'))!) as {
    order: number | null;
    x: number[];
  }[];
  expect(lines).toHaveLength(1);
  expect(lines[0]!.x).toEqual([20, 400]);
  expect(lines[0]!.order).toBeNull();
  await expect(page.getByTestId('sweep-chart')).toHaveAttribute(
    'aria-label',
    /^swd against trained\.train_steps, log–log/u,
  );

  // The chart can show the NLL instead: on a linear axis, the table's numbers.
  const plot = page.getByTestId('sweep-plot');
  await expect(plot).toHaveValue('swd');
  await expect(plot.locator('option')).toContainText(['swd', 'nll']);
  await plot.selectOption('nll');
  await expect(page.getByTestId('sweep-chart')).toHaveAttribute(
    'aria-label',
    /^nll against trained\.train_steps, x log, y linear/u,
  );
  const nllLines = JSON.parse((await chart.getAttribute('data-series'))!) as { error: number[] }[];
  expect(nllLines[0]!.error).toEqual(values);
  await page.screenshot({ path: test.info().outputPath('sweep-nll-chart.png') });

  // The choice is saved with the grid, so `principia sweep` reads the same node.
  const saved = JSON.parse(await readDocument(page)) as { sweep?: { measure?: string } };
  expect(saved.sweep?.measure).toBe('trained_metrics');
});
